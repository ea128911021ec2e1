/**
 * Fault tests and benchmarks of Paved's provisioning against real backend processes.
 *
 * @packageDocumentation
 */
export { BackendProcess, BACKEND_ENTRY, freePort } from './BackendProcess';
export type { BackendOptions } from './BackendProcess';
export { PrivatePostgres } from './PrivatePostgres';
export { configFromEnv, FAST_WORKER } from './config';
export type { ChaosBackendEnv, RabbitmqServer, S3Server } from './config';
export { PrivateCluster } from './PrivateCluster';
export { PrivateRabbitmq } from './PrivateRabbitmq';
export { PrivateS3 } from './PrivateS3';
