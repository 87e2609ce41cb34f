// The HTTP API: public routes (health, docs, sign-in, the loan-code form), then authentication,
// then every /v1 route, each checking role and ownership (api/auth/access.ts). Errors are problem+json.
import express, { type Request, type Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ApiDeps } from './deps';
import { authenticate } from './auth/authenticate';
import { healthRouter } from './health';
import { openApiDocument } from './openapi';
import { errorHandler, HttpProblem, notFoundHandler, sendProblem } from './problem';
import { perPrincipalLimit, unauthenticatedLimit } from './rateLimits';
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
import { methodNotAllowed } from './methods';
import { problemPagesRouter } from './problems/page';
import { directoryRouter } from './routes/directory';
import { institutionGuardsRouter } from './routes/institutionGuards';
import { institutionsRouter } from './routes/institutions';
import { workbenchPagesRouter } from './pages/workbench';

/** Bodies above this are refused with 413 before parsing. */
const MAX_BODY = '64kb';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // X-Forwarded-For counts only from the configured proxies (TRUST_PROXY); by default from none.
  app.set('trust proxy', deps.config.trustProxy ?? false);
  app.use(httpMetrics(), requestLog());
  // Before the body is read: a method the path does not have is 405 whatever the body.
  const doc = openApiDocument();
  app.use(methodNotAllowed(doc));
  app.use(express.json({ limit: MAX_BODY, strict: true }));
  app.use(express.urlencoded({ limit: MAX_BODY, extended: false }));
  app.use(guardInput());

  // ---- public: no credentials ----
  app.use(healthRouter(deps));
  const refuse = (req: Request, res: Response) =>
    sendProblem(res, new HttpProblem(401, 'unauthenticated', 'Metrics need the scrape token', 'Send Authorization: Bearer <METRICS_TOKEN>'), req.originalUrl);
  app.get('/metrics', metricsHandler({ prisma: deps.prisma, token: deps.config.metricsToken, refuse }));
  app.use(problemPagesRouter());
  app.get('/openapi.json', (_req, res) => void res.json(doc));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(doc));
  app.use(publicAuthRouter(deps));
  app.use(publicIdentityRouter(deps));
  app.use(publicProductsRouter(deps));
  app.use(dashboardPagesRouter(deps));
  app.use(loanCodePagesRouter(deps));
  app.use(workbenchPagesRouter(deps));
  app.use(trackingPagesRouter(deps));
  if (deps.config.devRoutes) app.use(devInboxRouter(deps));
  // Twilio signs the public URL of the callback: without PUBLIC_URL no signature could verify.
  const { twilioAuthToken, publicUrl } = deps.config;
  if (twilioAuthToken && publicUrl) app.use(createTwilioStatusRouter({ prisma: deps.prisma, authToken: twilioAuthToken, publicUrl }));

  // ---- authenticated: everything under /v1 ----
  app.use('/v1', unauthenticatedLimit(deps.config.rateLimits), authenticate(deps.prisma, deps.tokens), perPrincipalLimit(deps.config.rateLimits));
  app.use('/v1', authRouter(deps));
  app.use('/v1/enterprises', enterprisesRouter(deps));
  app.use('/v1/enterprises', enterpriseIdentityRouter(deps));
  app.use('/v1/ratings', ratingsRouter(deps));
  app.use('/v1/financing-requests', financingRequestsRouter(deps));
  app.use('/v1/financing-requests', institutionGuardsRouter(deps));
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
  app.use('/v1', institutionsRouter(deps));
  app.use('/v1/directory', directoryRouter(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
