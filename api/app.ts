// The HTTP API: routes, docs, and problem+json errors.
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ApiDeps } from './deps';
import { healthRouter } from './health';
import { openApiDocument } from './openapi';
import { errorHandler, notFoundHandler } from './problem';
import { actionsRouter } from './routes/actions';
import { financingRequestsRouter } from './routes/financingRequests';
import { portraitsRouter } from './routes/portraits';
import { devInboxRouter, notificationsRouter } from './routes/notifications';
import { createTwilioStatusRouter } from '../notifications/twilio-status';

/** Bodies above this are refused with 413 before parsing. */
const MAX_BODY = '64kb';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: MAX_BODY, strict: true }));
  app.use(healthRouter(deps));
  const doc = openApiDocument();
  app.get('/openapi.json', (_req, res) => void res.json(doc));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(doc));
  app.use('/v1/financing-requests', financingRequestsRouter(deps));
  app.use('/v1/financing-requests', actionsRouter(deps));
  app.use('/v1/enterprises', portraitsRouter(deps));
  app.use(notificationsRouter(deps));
  app.use(devInboxRouter(deps));
  // Twilio signs the public URL of the callback: without PUBLIC_URL no signature could verify.
  if (process.env.TWILIO_AUTH_TOKEN && process.env.PUBLIC_URL)
    app.use(createTwilioStatusRouter({ prisma: deps.prisma, authToken: process.env.TWILIO_AUTH_TOKEN, publicUrl: process.env.PUBLIC_URL }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
