import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { ResourceTypeRegistry } from '../service/ResourceTypeRegistry';

/**
 * A step of an operation. It either finishes or, like an `observe` that found the
 * resource not ready yet, returns `waiting` to be run again later.
 */
export interface Step {
  name: string;
  run(ctx: StepContext): Promise<{ waiting: string } | void>;
}

/** The steps an operation runs, in order, from the request's resource type. */
export function stepsOf(
  registry: ResourceTypeRegistry,
  request: ProvisioningRequest,
  operation: ProvisioningOperation,
): Step[] {
  const registered = registry.get(request.type);
  if (!registered) {
    // Retried: the module may be missing from this replica only (a rolling deploy).
    throw new Error(
      `Resource type '${request.type}' is not installed in this backend`,
    );
  }
  const { type } = registered;
  switch (operation.kind) {
    case 'provision': {
      const steps: Step[] = [
        {
          name: 'provision',
          run: ctx => type.provision(ctx),
        },
      ];
      if (type.observe) {
        const observe = type.observe.bind(type);
        steps.push({
          name: 'observe',
          run: async ctx => {
            const result = await observe(ctx);
            return result.ready
              ? undefined
              : { waiting: result.message ?? 'the resource is not ready yet' };
          },
        });
      }
      return steps;
    }
    case 'action': {
      const action = registered.actions.get(operation.action ?? '')?.action;
      if (!action) {
        throw new NonRetryableError(
          `Resource type '${type.id}' has no action '${operation.action}'`,
        );
      }
      return [
        {
          name: `action:${operation.action}`,
          run: ctx =>
            action.run({
              ...ctx,
              action: operation.action!,
              input: operation.input,
            }),
        },
      ];
    }
    default:
      return [{ name: 'destroy', run: ctx => type.destroy(ctx) }];
  }
}
