import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Registry served on GET /metrics. */
export const registry = new Registry();
registry.setDefaultLabels({ service: '${{ values.name }}' });

// Process metrics: CPU, resident memory, heap, event-loop lag, GC, handles.
collectDefaultMetrics({ register: registry });

export const HTTP_REQUEST_DURATION_METRIC = 'http_request_duration_seconds';

export const httpRequestDuration = new Histogram({
  name: HTTP_REQUEST_DURATION_METRIC,
  help: 'Duration of HTTP requests in seconds, by method, route and status code.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/**
 * Express middleware that observes every request in the duration histogram.
 * The route label is the matched route pattern (e.g. /orders/:id), never the raw
 * URL, to keep label cardinality bounded; unmatched requests are labelled "unmatched".
 */
export function metricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const end = httpRequestDuration.startTimer();
  res.on('finish', () => {
    const routePath: unknown = req.route?.path;
    const route = typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'unmatched';
    end({ method: req.method, route, status_code: String(res.statusCode) });
  });
  next();
}
