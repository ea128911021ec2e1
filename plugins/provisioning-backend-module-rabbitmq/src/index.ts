/**
 * The `rabbitmq-queue` resource type of Paved's provisioning: durable queues in a
 * RabbitMQ virtual host of their own, a user limited to it, and its credentials in a
 * Kubernetes Secret of the owning team.
 *
 * @packageDocumentation
 */
export { provisioningModuleRabbitmq as default } from './module';
export { readRabbitmqConfig } from './config';
export type { RabbitmqModuleConfig, KubernetesAccess } from './config';
export {
  RabbitmqManagement,
  RabbitmqManagementError,
} from './RabbitmqManagement';
export { createRabbitmqResourceType, QUEUE_TYPE } from './rabbitmqResourceType';
