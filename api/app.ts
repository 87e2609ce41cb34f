// The HTTP API: public routes (health, docs, sign-in, the loan-code form), then authentication,
// then every /v1 route, each checking role and ownership (api/auth/access.ts). Errors are problem+json.
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ApiDeps } from './deps';
import { authenticate } from './auth/authenticate';
import { healthRouter } from './health';
import { openApiDocument } from './openapi';
import { errorHandler, notFoundHandler } from './problem';
import { perPrincipalLimit } from './rateLimits';
import { actionsRouter } from './routes/actions';
import { authRouter, publicAuthRouter } from './routes/auth';
import { enterprisesRouter } from './routes/enterprises';
import { enterpriseIdentityRouter, publicIdentityRouter } from './routes/identity';
import { ratingsRouter } from './routes/ratings';
import { publicProductsRouter } from './routes/publicProducts';
import { financingRequestsRouter } from './routes/financingRequests';
import { inboxRouter } from './routes/inbox';
import { matchesRouter, productsRouter } from './routes/products';
import { supervisionRouter } from './routes/supervision';
import { loanCodesRouter } from './routes/loanCodes';
import { loanCodePagesRouter } from './pages/loanCodeForm';
import { trackingPagesRouter } from './pages/trackingPage';
import { dashboardPagesRouter } from './pages/dashboard';
import { statisticsRouter } from './routes/statistics';
import { pushRouter } from './routes/push';
import { portraitsRouter } from './routes/portraits';
import { devInboxRouter, notificationsRouter } from './routes/notifications';
import { createTwilioStatusRouter } from '../notifications/twilio-status';
import { httpMetrics, metricsHandler } from '../observability/metrics';
import { requestLog } from '../observability/requestLog';
import { guardInput } from './inputGuard';

/** Bodies above this are refused with 413 before parsing. */
const MAX_BODY = '64kb';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // One proxy hop (a load balancer) may set X-Forwarded-For; per-IP limits use the client's address.
  app.set('trust proxy', 1);
  app.use(httpMetrics(), requestLog());
  app.use(express.json({ limit: MAX_BODY, strict: true }));
  app.use(express.urlencoded({ limit: MAX_BODY, extended: false }));
  app.use(guardInput());

  // ---- public: no credentials ----
  app.use(healthRouter(deps));
  app.get('/metrics', metricsHandler({ prisma: deps.prisma, token: process.env.METRICS_TOKEN || undefined }));
  const doc = openApiDocument();
  app.get('/openapi.json', (_req, res) => void res.json(doc));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(doc));
  app.use(publicAuthRouter(deps));
  app.use(publicIdentityRouter(deps));
  app.use(publicProductsRouter(deps));
  app.use(dashboardPagesRouter(deps));
  app.use(loanCodePagesRouter(deps));
  app.use(trackingPagesRouter(deps));
  if (deps.config.devRoutes) app.use(devInboxRouter(deps));
  // Twilio signs the public URL of the callback: without PUBLIC_URL no signature could verify.
  if (process.env.TWILIO_AUTH_TOKEN && process.env.PUBLIC_URL)
    app.use(createTwilioStatusRouter({ prisma: deps.prisma, authToken: process.env.TWILIO_AUTH_TOKEN, publicUrl: process.env.PUBLIC_URL }));

  // ---- authenticated: everything under /v1 ----
  app.use('/v1', authenticate(deps.prisma, deps.tokens), perPrincipalLimit(deps.config.rateLimits));
  app.use('/v1', authRouter(deps));
  app.use('/v1/enterprises', enterprisesRouter(deps));
  app.use('/v1/enterprises', enterpriseIdentityRouter(deps));
  app.use('/v1/ratings', ratingsRouter(deps));
  app.use('/v1/financing-requests', financingRequestsRouter(deps));
  app.use('/v1/financing-requests', actionsRouter(deps));
  app.use('/v1/inbox', inboxRouter(deps));
  app.use('/v1/statistics', statisticsRouter(deps));
  app.use('/v1/push-lists', pushRouter(deps));
  app.use('/v1/products', productsRouter(deps));
  app.use('/v1/product-matches', matchesRouter(deps));
  app.use('/v1/supervision', supervisionRouter(deps));
  app.use('/v1/loan-codes', loanCodesRouter(deps));
  app.use('/v1/enterprises', portraitsRouter(deps));
  app.use(notificationsRouter(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
