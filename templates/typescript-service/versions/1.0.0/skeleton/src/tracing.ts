import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * OpenTelemetry tracing.
 *
 * Tracing is enabled only when OTEL_EXPORTER_OTLP_ENDPOINT is set (for example
 * http://otel-collector.observability:4318); otherwise nothing is started and no
 * network calls are made, which keeps local runs and tests self-contained.
 * Standard OTEL_* environment variables (OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, ...) are honoured.
 *
 * This module must be imported before express/http are loaded (server.ts
 * imports it first) so the instrumentations can patch them.
 */
let sdk: NodeSDK | undefined;

export const tracingEnabled = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);

if (tracingEnabled) {
  // This SDK is for traces only: metrics are scraped from /metrics (prom-client)
  // and logs go to stdout (pino). Without these defaults the SDK would also push
  // OTLP metrics and logs. Set the variables explicitly to opt back in.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? '${{ values.name }}',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the interesting traces.
        ignoreIncomingRequestHook: (req) =>
          req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      }),
      new ExpressInstrumentation(),
    ],
  });
  sdk.start();
}

/** Flushes pending spans; call during shutdown. */
export async function shutdownTracing(): Promise<void> {
  await sdk?.shutdown();
}
