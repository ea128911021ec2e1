import { setTimeout as sleep } from 'node:timers/promises';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { refusalAsInputError } from '@paved/openapi-client-utils';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { ProvisioningClient } from '../provisioning/ProvisioningClient';

/** States after which waiting longer changes nothing for this task. */
const SETTLED = new Set(['ready', 'failed', 'rejected', 'deleted']);

/**
 * `paved:provisioning:request`: files a self-service request (a database, an
 * environment, ...) as the user who runs the template, then follows it, writing
 * each step of its timeline into the task log, until it is ready. A request held
 * for an approval ends the step with the approvers named; the request goes on
 * without the task.
 */
export function createProvisioningRequestAction(options: {
  client: ProvisioningClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  const { client, appBaseUrl } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  return createTemplateAction({
    id: 'paved:provisioning:request',
    description:
      'Requests a resource from Paved self-service and waits until it is ready, logging its progress',
    supportsDryRun: true,
    examples: [
      {
        description: 'Request a PostgreSQL database for a service',
        example: [
          'steps:',
          '  - id: request',
          '    action: paved:provisioning:request',
          '    input:',
          '      type: postgres',
          '      name: orders',
          '      owner: group:default/checkout-team',
          '      parameters:',
          '        component: component:default/orders-api',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        type: z => z.string().describe('Resource type id, e.g. postgres'),
        name: z => z.string().describe('Name of the resource'),
        owner: z => z.string().describe('Owning group entity ref'),
        parameters: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe("Parameters, as the type's JSON Schema defines them"),
        timeoutMinutes: z =>
          z
            .number()
            .int()
            .min(1)
            .max(120)
            .optional()
            .describe('How long to follow provisioning (default 15)'),
      },
      output: {
        requestId: z => z.string().describe('The request id'),
        state: z => z.string().describe('The state the step ended with'),
        requestUrl: z => z.string().describe('The request page in the portal'),
        entityRef: z =>
          z.string().describe('The catalog Resource for the new resource'),
        outputs: z =>
          z
            .record(z.string(), z.unknown())
            .describe('Non-secret outputs, e.g. where the credentials are'),
      },
    },
    async handler(ctx) {
      const { type, name, owner } = ctx.input;
      const parameters = (ctx.input.parameters ?? {}) as JsonObject;
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = stringifyEntityRef({
        kind: 'Resource',
        namespace: 'default',
        name,
      });
      ctx.output('entityRef', entityRef);

      if (ctx.isDryRun) {
        const types = await client.listTypes(credentials);
        if (!types.some(known => known.id === type)) {
          throw new InputError(
            `type '${type}' is not a resource type of this portal; known: ${types
              .map(known => known.id)
              .join(', ')}`,
          );
        }
        ctx.logger.info(
          `Dry run: would request ${type} '${name}' for ${owner}`,
        );
        return;
      }

      const requestId = await ctx.checkpoint({
        key: `paved-provisioning-request-${type}-${owner}-${name}`,
        fn: async () => {
          try {
            const created = await client.createRequest(
              { type, name, owner, parameters },
              credentials,
            );
            return created.id;
          } catch (error) {
            throw refusalAsInputError(error);
          }
        },
      });
      const requestUrl = `${appBaseUrl}/self-service/requests/${encodeURIComponent(
        requestId,
      )}`;
      ctx.output('requestId', requestId);
      ctx.output('requestUrl', requestUrl);
      ctx.logger.info(`Filed request ${requestId}: ${requestUrl}`);

      const deadline = Date.now() + (ctx.input.timeoutMinutes ?? 15) * 60_000;
      const logged = new Set<number>();
      for (;;) {
        const request = await client.getRequest(requestId, credentials);
        logTimeline(request, logged, line => ctx.logger.info(line));
        if (request.state === 'pending-approval') {
          ctx.logger.info(
            `Waiting for an approval by ${request.approval?.group}: ${request.approval?.reason}. ` +
              `The request continues after approval; follow it at ${requestUrl}`,
          );
          finish(ctx, request);
          return;
        }
        if (SETTLED.has(request.state)) {
          if (request.state !== 'ready') {
            throw new Error(
              `The request ended ${request.state}: ${
                request.lastError ??
                request.approval?.comment ??
                'no reason given'
              }`,
            );
          }
          finish(ctx, request);
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `The request is still ${request.state} after ${
              ctx.input.timeoutMinutes ?? 15
            } min; it goes on without this task: ${requestUrl}`,
          );
        }
        await sleep(pollIntervalMs, undefined, { signal: ctx.signal });
      }
    },
  });
}

function finish(
  ctx: { output(name: string, value: any): void },
  request: ProvisioningRequestDetails,
) {
  ctx.output('state', request.state);
  // A fresh plain object: the scaffolder only templates plain records, and the
  // response's objects may come from another realm (e.g. fetch under Jest).
  ctx.output('outputs', JSON.parse(JSON.stringify(request.outputs)));
}

function logTimeline(
  request: ProvisioningRequestDetails,
  logged: Set<number>,
  log: (line: string) => void,
) {
  for (const event of request.timeline ?? []) {
    if (!logged.has(event.id)) {
      logged.add(event.id);
      log(`${event.createdAt} ${event.type}: ${event.message}`);
    }
  }
}
