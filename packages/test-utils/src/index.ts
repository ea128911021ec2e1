/**
 * Shared helpers for Paved's tests.
 *
 * @packageDocumentation
 */
export { testDatabaseIds } from './testDatabaseIds';
export { requireTestPostgres } from './testPostgres';
export type { TestPostgres } from './testPostgres';
export { requireTestRabbitmq } from './testRabbitmq';
export type { TestRabbitmq } from './testRabbitmq';
export { requireTestS3 } from './testS3';
export type { TestS3 } from './testS3';
export { startTestSlapd } from './testSlapd';
export type { StartTestSlapdOptions, TestSlapd } from './testSlapd';
export { waitFor } from './waitFor';
export { CookieBrowser } from './cookieBrowser';
export { capturingRootLogger } from './capturingLogger';
export type { LogRecord } from './capturingLogger';
export { pavedPolicyPermissions } from './pavedPolicyPermissions';
export { recordingAuditor } from './recordingAuditor';
export type { RecordedAuditEvent } from './recordingAuditor';
export {
  documentedRoutes,
  loadOpenApiSpec,
  servedRoutes,
  undocumentedErrorStatuses,
} from './openApi';
export type { LoadedOpenApiSpec } from './openApi';
export { describeGeneratedClient } from './generatedClient';
export {
  checkPrometheusRule,
  describeWithPromtool,
  findPromtool,
  promtoolRequired,
  PROMTOOL_ENV,
} from './promtool';
export type {
  CheckPrometheusRuleOptions,
  PrometheusRuleLike,
  PromtoolAlertRuleTest,
  PromtoolExpectedAlert,
  PromtoolExprTest,
  PromtoolInputSeries,
  PromtoolTest,
} from './promtool';
export { userInfoFromMembers } from './userInfoFromMembers';
export {
  actionContext,
  directStepContext,
  storedRequest,
} from './provisioning/directStepContext';
export { provisioningApi } from './provisioning/provisioningApi';
export { expectDocumentedParameters } from './provisioning/expectDocumentedParameters';
export { expectRequestSecret } from './provisioning/expectRequestSecret';
export { expectScoreSecretRefs } from './provisioning/expectScoreSecretRefs';
export { standInResourceTypes } from './provisioning/standInResourceTypes';
export { testWorkerConfig } from './provisioning/testWorkerConfig';
export {
  provisioningTestBackend,
  startProvisioningBackend,
} from './provisioning/provisioningTestBackend';
export { moduleStartup } from './provisioning/moduleStartup';
export {
  BACKEND_BUNDLE_ENV,
  backendBundleDir,
  startBundledBackend,
  startRoundRobinProxy,
} from './bundledBackend';
export type { BundledBackend } from './bundledBackend';
