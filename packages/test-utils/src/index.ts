/**
 * Shared helpers for Paved's tests.
 *
 * @packageDocumentation
 */
export { testDatabaseIds } from './testDatabaseIds';
export { waitFor } from './waitFor';
export { pavedPolicyPermissions } from './pavedPolicyPermissions';
export { recordingAuditor } from './recordingAuditor';
export type { RecordedAuditEvent } from './recordingAuditor';
export { documentedRoutes, loadOpenApiSpec, servedRoutes } from './openApi';
export type { LoadedOpenApiSpec } from './openApi';
