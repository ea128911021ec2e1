import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import { AgentActions, readAgentPolicy } from '@paved/agent-guardrails';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { USAGE_EVENTS_TOPIC } from '@paved/plugin-adoption-common';
import { mcpActionsModuleGuardrails } from './module';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';

jest.setTimeout(60_000);

const SECRET = 'hunter2-do-not-log';

/** A plugin with two agent actions, as Paved's plugins register theirs. */
const thingsPlugin = createBackendPlugin({
  pluginId: 'things',
  register(reg) {
    reg.registerInit({
      deps: {
        registry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
      },
      async init({ registry, auditor, config }) {
        const actions = new AgentActions({
          pluginId: 'things',
          registry,
          policy: readAgentPolicy(config),
          auditor,
        });
        actions.register({
          name: 'get-thing',
          title: 'Get a thing',
          description: 'Reads a thing by name.',
          kind: 'read',
          idempotent: true,
          schema: {
            input: z =>
              z.object({
                name: z.string().describe('The thing'),
                password: z.string().optional().describe('A secret'),
              }),
            output: z => z.object({ name: z.string().describe('The thing') }),
          },
          action: async ({ input }) => {
            if (input.name === 'missing') {
              throw new NotFoundError('No thing called missing');
            }
            return { output: { name: input.name } };
          },
        });
        actions.register({
          name: 'delete-thing',
          title: 'Delete a thing',
          description: 'Deletes a thing; dry run by default.',
          kind: 'destructive',
          idempotent: true,
          schema: {
            input: z =>
              z.object({
                name: z.string().describe('The thing'),
                dryRun: z.boolean().default(true).describe('Only say what'),
              }),
            output: z => z.object({ deleted: z.boolean().describe('Done') }),
          },
          action: async ({ input }) => ({ output: { deleted: !input.dryRun } }),
        });
      },
    });
  },
});

async function setup() {
  const auditor = mockServices.auditor.mock({
    createEvent: async () => ({ success: jest.fn(), fail: jest.fn() }),
  });
  const auditEvents: Array<{
    eventId: string;
    meta: unknown;
    outcome?: 'success' | 'fail';
    error?: string;
  }> = [];
  auditor.createEvent.mockImplementation(async options => {
    const record: (typeof auditEvents)[number] = {
      eventId: options.eventId,
      meta: options.meta,
    };
    auditEvents.push(record);
    return {
      success: async () => {
        record.outcome = 'success';
      },
      fail: async ({ error }) => {
        record.outcome = 'fail';
        record.error = error.message;
      },
    };
  });
  const events = mockServices.events.mock();

  const { server } = await startTestBackend({
    features: [
      mcpActionsPlugin,
      mcpActionsModuleGuardrails,
      thingsPlugin,
      auditor.factory,
      events.factory,
      mockServices.rootConfig.factory({
        data: { backend: { actions: { pluginSources: ['things'] } } },
      }),
    ],
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, auditEvents, events };
}

function connect(port: number, headers: Record<string, string>) {
  const client = new Client({ name: 'sdk-test-client', version: '0.0.1' });
  const transport = new StreamableHTTPClientTransport(
    new URL(`http://localhost:${port}/api/mcp-actions/v1`),
    { requestInit: { headers } },
  );
  return { client, transport };
}

/** The gate audits once the reply is sent, just after the client has it. */
async function eventually(check: () => void) {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

describe('the guardrails module in front of the MCP server', () => {
  it('audits and records every tool call of a real MCP client with the client and the user', async () => {
    const { port, auditEvents, events } = await setup();
    const { client, transport } = connect(port, {
      Authorization: mockCredentials.user.header('user:default/carla'),
      'X-Paved-Agent': 'claude-code',
    });
    await client.connect(transport);

    const { tools } = await client.listTools();
    expect(tools.map(t => [t.name, t.annotations])).toEqual([
      [
        'things.get-thing',
        expect.objectContaining({ readOnlyHint: true, destructiveHint: false }),
      ],
      [
        'things.delete-thing',
        expect.objectContaining({ readOnlyHint: false, destructiveHint: true }),
      ],
    ]);

    const read = await client.callTool({
      name: 'things.get-thing',
      arguments: { name: 'db', password: SECRET },
    });
    expect(read.isError).toBeFalsy();
    expect(read.structuredContent).toEqual({ name: 'db' });

    // Refused by the agent policy (destructive: dry-run): a tool error naming the rule.
    const refused = await client.callTool({
      name: 'things.delete-thing',
      arguments: { name: 'db', dryRun: false },
    });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain(
      "Refused by paved.agents.destructive ('dry-run')",
    );

    const missing = await client.callTool({
      name: 'things.get-thing',
      arguments: { name: 'missing' },
    });
    expect(missing.isError).toBe(true);
    await client.close();

    await eventually(() =>
      expect(
        auditEvents.filter(e => e.eventId.startsWith('agent-tool-call')),
      ).toEqual([
        {
          eventId: 'agent-tool-call',
          meta: {
            tool: 'things.get-thing',
            client: 'claude-code',
            actor: 'user:default/carla',
          },
          outcome: 'success',
        },
        {
          eventId: 'agent-tool-call',
          meta: {
            tool: 'things.delete-thing',
            client: 'claude-code',
            actor: 'user:default/carla',
          },
          outcome: 'fail',
          error: expect.stringContaining(
            "NotAllowedError: Refused by paved.agents.destructive ('dry-run')",
          ),
        },
        {
          eventId: 'agent-tool-call',
          meta: {
            tool: 'things.get-thing',
            client: 'claude-code',
            actor: 'user:default/carla',
          },
          outcome: 'fail',
          error: 'NotFoundError: No thing called missing',
        },
      ]),
    );
    // The gate ran before the MCP server: the connect came first, with the client.
    expect(auditEvents[0]).toEqual({
      eventId: 'agent-connect',
      meta: { client: 'claude-code', actor: 'user:default/carla' },
      outcome: 'success',
    });
    // The action's own audit event (agent-guardrails) is there too.
    expect(auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'agent-action',
        meta: expect.objectContaining({
          actionId: 'things:delete-thing',
          decision: 'refuse',
          rule: 'paved.agents.destructive',
        }),
      }),
    );

    const usage = events.publish.mock.calls.map(([e]) => e);
    expect(usage.map(e => e.topic)).toEqual([
      USAGE_EVENTS_TOPIC,
      USAGE_EVENTS_TOPIC,
      USAGE_EVENTS_TOPIC,
    ]);
    expect(usage.map(e => e.eventPayload)).toEqual([
      {
        plugin: 'agents',
        action: 'things.get-thing',
        subject: 'claude-code',
        actor: 'user:default/carla',
        outcome: 'succeeded',
        durationMs: expect.any(Number),
        occurredAt: expect.any(String),
      },
      expect.objectContaining({
        action: 'things.delete-thing',
        outcome: 'failed',
      }),
      expect.objectContaining({
        action: 'things.get-thing',
        outcome: 'failed',
      }),
    ]);

    // Arguments are never logged nor recorded: they may carry secrets.
    expect(JSON.stringify([auditEvents, usage])).not.toContain(SECRET);
  });

  it("names the client by initialize's clientInfo when it sends no header", async () => {
    const { port, auditEvents, events } = await setup();
    const { client, transport } = connect(port, {
      Authorization: mockCredentials.user.header('user:default/dan'),
    });
    await client.connect(transport);
    await client.callTool({
      name: 'things.get-thing',
      arguments: { name: 'a' },
    });
    await client.close();

    await eventually(() => expect(events.publish).toHaveBeenCalledTimes(1));
    expect(auditEvents[0]).toEqual({
      eventId: 'agent-connect',
      meta: { client: 'sdk-test-client/0.0.1', actor: 'user:default/dan' },
      outcome: 'success',
    });
    // A stateless server's later calls carry no clientInfo: the User-Agent names it.
    expect(events.publish.mock.calls[0][0].eventPayload).toMatchObject({
      subject: expect.any(String),
      actor: 'user:default/dan',
      outcome: 'succeeded',
    });
  });
});
