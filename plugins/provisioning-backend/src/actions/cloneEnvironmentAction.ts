import { InputError } from '@backstage/errors';
import { ACTIVE_REQUEST_STATES } from '@paved/plugin-provisioning-common';
import { ENVIRONMENT_TYPE } from '@paved/plugin-provisioning-node';
import { requestOf, requestOutput, requestPlanOutput } from './agentSchemas';
import {
  auditedAsAgent,
  ProvisioningActionsDeps,
} from './ProvisioningActionsDeps';
import { planWithAgentPolicy } from './requestActions';

/**
 * `clone-environment`: a new environment that starts as a copy of another, which is
 * an `environment` request with `parameters.source` (the environments module copies
 * the source's workloads, never its Secrets, and makes fresh attached resources).
 * A dry run by default: the plan of that request.
 */
export function registerCloneEnvironmentAction(
  deps: ProvisioningActionsDeps,
): void {
  const { actions, requests, auditor } = deps;

  actions.register({
    name: 'clone-environment',
    title: 'Clone an environment',
    description:
      "Makes a new environment (Kubernetes namespace) that starts as a copy of an existing one of your team's: its Deployments, StatefulSets, Services, ConfigMaps and Ingresses, never its Secrets; databases, queues and buckets attached to the source are made afresh for the copy (seeded from the source with `parameters.seedDatabases: true` where their type can). By default a dry run (`dryRun: true`) that returns the plan (quota, approval, errors by field) and stores nothing; with `dryRun: false` it submits the request (under the default paved.agents policy it waits for a person's approval). Poll get-request until ready.",
    kind: 'request',
    idempotent: true,
    approvable: true,
    personInstead:
      "request an environment with 'Copy of' set from the portal's Self-service page",
    schema: {
      input: z =>
        z.object({
          source: z
            .string()
            .min(1)
            .describe('The name of the environment to copy.'),
          name: z
            .string()
            .describe(
              "The new environment's name (its namespace): a DNS label, not default, not starting with kube- or team-.",
            ),
          owner: z
            .string()
            .optional()
            .describe(
              "The owning group's entity ref; default: the source's owner.",
            ),
          parameters: z
            .record(z.unknown())
            .optional()
            .describe(
              'Other environment parameters (size, ttlHours, expires, image, seedDatabases, ...; list-resource-types has the schema); `source` is set from the input.',
            ),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): return the plan, store nothing. false: submit the request.',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          plan: requestPlanOutput(z).describe('What the request would do.'),
          request: requestOutput(z)
            .optional()
            .describe('For a real clone: the request made (or found).'),
          created: z
            .boolean()
            .optional()
            .describe('false: the same request existed and was returned.'),
        }),
    },
    action: async ({ input, credentials, agent }) => {
      let owner = input.owner;
      if (!owner) {
        // The source as the caller may read it: unknown and unreadable look alike.
        const { items } = await requests.list(
          {
            type: ENVIRONMENT_TYPE,
            name: input.source,
            state: ACTIVE_REQUEST_STATES.join(','),
            limit: '1',
          },
          credentials,
        );
        owner = items[0]?.owner;
        if (!owner) {
          throw new InputError(
            `Invalid input: source: there is no environment named '${input.source}' that you may read`,
          );
        }
      }
      const body = {
        type: ENVIRONMENT_TYPE,
        name: input.name,
        owner,
        parameters: { ...input.parameters, source: input.source },
      };
      const plan = await planWithAgentPolicy(deps, body, credentials);
      if (input.dryRun) {
        return { output: { dryRun: true, plan } };
      }
      const { request, created } = await auditedAsAgent(
        auditor,
        {
          eventId: 'request-create',
          credentials,
          meta: {
            type: ENVIRONMENT_TYPE,
            name: input.name,
            owner,
            source: input.source,
          },
        },
        () => requests.create(body, credentials, agent),
        result => ({
          requestId: result.request.id,
          created: result.created,
          state: result.request.state,
        }),
      );
      return {
        output: { dryRun: false, plan, request: requestOf(request), created },
      };
    },
  });
}
