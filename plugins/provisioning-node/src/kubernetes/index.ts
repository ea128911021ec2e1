export { SecretWriter } from './SecretWriter';
export { PrometheusRuleWriter } from './PrometheusRuleWriter';
