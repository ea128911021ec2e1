/*
 * A standalone Backstage backend with only the provisioning engine and its postgres
 * module (and its rabbitmq and s3 modules when the environment names their servers,
 * the environments and score modules when it asks for them),
 * for fault tests and benchmarks that need real, separate processes (killed,
 * restarted, two side by side). Configured from the environment only; see
 * `backendEnv` in ./BackendProcess.ts, which is how tests and bench/ start it.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs src/backend.ts
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { configFromEnv, wantsEnvironments } from './config';

const config = new ConfigReader(configFromEnv(process.env), 'chaos-env');

const backend = createBackend();
backend.add(
  createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => config,
  }),
);
// A backend of its own, for fault tests and benchmarks only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
backend.add(import('@paved/plugin-provisioning-backend'));
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
backend.add(import('@paved/plugin-provisioning-backend-module-postgres'));
// Only when asked for: a postgres-only backend starts faster.
if (process.env.PAVED_CHAOS_RABBITMQ) {
  // eslint-disable-next-line @backstage/no-mixed-plugin-imports
  backend.add(import('@paved/plugin-provisioning-backend-module-rabbitmq'));
}
if (process.env.PAVED_CHAOS_S3) {
  // eslint-disable-next-line @backstage/no-mixed-plugin-imports
  backend.add(import('@paved/plugin-provisioning-backend-module-s3'));
}
if (wantsEnvironments(process.env)) {
  // eslint-disable-next-line @backstage/no-mixed-plugin-imports
  backend.add(import('@paved/plugin-provisioning-backend-module-environments'));
}
if (process.env.PAVED_CHAOS_SCORE === '1') {
  // eslint-disable-next-line @backstage/no-mixed-plugin-imports
  backend.add(import('@paved/plugin-provisioning-backend-module-score'));
}
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
