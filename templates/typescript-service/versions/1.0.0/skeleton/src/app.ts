import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { logger } from './logger.js';
import { metricsMiddleware, registry } from './metrics.js';

export const SERVICE_NAME = '${{ values.name }}';

export interface AppOptions {
  /** Reports whether the service can take traffic; GET /readyz answers 503 when false. */
  isReady?: () => boolean;
}

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const requestLogger: RequestHandler = (req, res, next) => {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - start) / 1e6;
    const entry = {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      duration_ms: Math.round(durationMs * 100) / 100,
    };
    // Probe and scrape traffic is frequent and uninteresting: log it at debug only.
    if (PROBE_PATHS.has(req.path)) logger.debug(entry, 'request');
    else logger.info(entry, 'request');
  });
  next();
};

const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  logger.error({ err }, 'unhandled error');
  if (res.headersSent) return;
  res.status(500).json({ error: 'internal_error' });
};

export function createApp(options: AppOptions = {}): Express {
  const isReady = options.isReady ?? (() => true);
  const app = express();

  app.disable('x-powered-by');
  app.use(metricsMiddleware);
  app.use(requestLogger);
  app.use(express.json());

  // Liveness: the process is up and the event loop is responsive.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Readiness: the service can take traffic. Fails while shutting down so
  // Kubernetes stops routing new requests before the server closes.
  // Add checks for required dependencies (database, downstream APIs) here.
  app.get('/readyz', (_req, res) => {
    if (isReady()) {
      res.json({ status: 'ready' });
    } else {
      res.status(503).json({ status: 'not_ready' });
    }
  });

  // Prometheus scrape endpoint.
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });

  app.get('/', (_req, res) => {
    res.json({ service: SERVICE_NAME, message: `Hello from ${SERVICE_NAME}!` });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorHandler);

  return app;
}
