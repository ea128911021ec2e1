import { context, trace } from '@opentelemetry/api';
import pino from 'pino';

const defaultLevel = process.env.NODE_ENV === 'test' ? 'silent' : 'info';

/**
 * Structured JSON logger (one JSON object per line on stdout).
 * Log lines written inside a traced request carry trace_id and span_id,
 * so logs and traces can be correlated.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? defaultLevel,
  base: { service: process.env.OTEL_SERVICE_NAME ?? '${{ values.name }}' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: {
    level: (label) => ({ level: label }),
  },
  mixin() {
    const span = trace.getSpan(context.active());
    if (!span) return {};
    const { traceId, spanId } = span.spanContext();
    return { trace_id: traceId, span_id: spanId };
  },
});
