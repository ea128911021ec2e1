import { ENVIRONMENT_TYPE } from '@paved/plugin-provisioning-node';
import { registerCloneEnvironmentAction } from './cloneEnvironmentAction';
import { ProvisioningActionsDeps } from './ProvisioningActionsDeps';
import { registerRequestActions } from './requestActions';
import { registerResourceActions } from './resourceActions';

export type { ProvisioningActionsDeps } from './ProvisioningActionsDeps';

/**
 * The provisioning plugin's actions for AI agents (Actions Registry, served over
 * MCP as `provisioning.<name>`). Each calls the service its REST route calls, as
 * the user the agent acts for, so the permission framework decides as in the
 * portal; `paved.agents` decides what agents may do on top (see AgentActions).
 * Call it in the plugin's init, after modules added their resource types.
 */
export function registerProvisioningActions(
  deps: ProvisioningActionsDeps,
): void {
  registerRequestActions(deps);
  registerResourceActions(deps);
  // Only where environments exist: an action that can never work misleads agents.
  if (deps.requests.listTypes().some(type => type.id === ENVIRONMENT_TYPE)) {
    registerCloneEnvironmentAction(deps);
  }
}
