// Tracing must be imported first so that http and express are instrumented.
import { shutdownTracing, tracingEnabled } from './tracing.js';

import { createApp } from './app.js';
import { logger } from './logger.js';

const port = Number(process.env.PORT ?? ${{ values.port }});
// Time to keep serving after SIGTERM while Kubernetes removes the pod from
// Service endpoints (readiness fails immediately). Keep it below
// terminationGracePeriodSeconds.
const shutdownDelayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 5000);

let shuttingDown = false;
const app = createApp({ isReady: () => !shuttingDown });

const server = app.listen(port, () => {
  logger.info({ port, tracing: tracingEnabled }, 'listening');
});
server.on('error', (err) => {
  logger.fatal({ err }, 'server error');
  process.exit(1);
});

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal, shutdownDelayMs }, 'shutting down: readiness now failing');
  await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs));

  server.close((err) => {
    if (err) logger.error({ err }, 'error while closing server');
    shutdownTracing()
      .catch((tracingErr: unknown) => logger.error({ err: tracingErr }, 'error flushing traces'))
      .finally(() => {
        logger.info('shutdown complete');
        process.exit(err ? 1 : 0);
      });
  });
  // Close idle keep-alive connections so close() does not wait for them.
  server.closeIdleConnections();
}

process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
