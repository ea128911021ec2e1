export { SecretWriter } from './SecretWriter';
export { PrometheusRuleWriter } from './PrometheusRuleWriter';
export {
  deleteRequestSecret,
  deliverCredentials,
  requestSecret,
} from './requestSecret';
export type { SecretOptions, SecretRequest } from './requestSecret';
