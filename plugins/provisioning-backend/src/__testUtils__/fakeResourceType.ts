import { JsonObject } from '@backstage/types';
import {
  ObserveResult,
  ResourceType,
  StepContext,
} from '@paved/plugin-provisioning-node';

type Hook = (ctx: StepContext) => Promise<void> | void;

/**
 * What the fake type did, per request id: step executions, the side effect behind
 * its `create` checkpoint, and whether two executions ever overlapped.
 */
export interface FakeRecorder {
  provisions: Map<string, number>;
  sideEffects: Map<string, number>;
  actions: Array<{ requestId: string; action: string; input: JsonObject }>;
  destroys: Map<string, number>;
  /** Executions of provision that started while another one of the same request ran. */
  overlaps: number;
  /** The outputs each call of `observe` saw. */
  observedOutputs: JsonObject[];
}

/** Behaviour per call of `provision` (by call order), `observe` results in order. */
export interface FakeBehaviour {
  /** Runs after the `create` checkpoint; the nth call runs the nth hook (the last one repeats). */
  afterCreate?: Hook[];
  observe?: ObserveResult[];
  destroy?: Hook;
}

const increment = (map: Map<string, number>, key: string) =>
  map.set(key, (map.get(key) ?? 0) + 1);

/**
 * A resource type for tests only: "creates" an in-memory thing behind a checkpoint,
 * records everything, and does whatever the test's hooks say (fail, hang, wait).
 */
export function createFakeResourceType(behaviour: FakeBehaviour = {}): {
  type: ResourceType;
  recorder: FakeRecorder;
} {
  const recorder: FakeRecorder = {
    provisions: new Map(),
    sideEffects: new Map(),
    actions: [],
    destroys: new Map(),
    overlaps: 0,
    observedOutputs: [],
  };
  const running = new Set<string>();
  let provisionCalls = 0;
  let observeCalls = 0;

  const type: ResourceType = {
    id: 'fake',
    title: 'Fake resource',
    description: 'A resource that exists only in the test',
    parameters: {
      type: 'object',
      required: ['environment'],
      additionalProperties: false,
      properties: {
        environment: { type: 'string', enum: ['dev', 'staging', 'production'] },
        sizeGb: { type: 'integer', minimum: 1, maximum: 500, default: 10 },
      },
    },
    validateName: name =>
      name.startsWith('reserved-')
        ? "must not start with 'reserved-'"
        : undefined,
    // What a schema cannot say: a rule across two parameters.
    checkParameters: parameters =>
      parameters.environment === 'production' && parameters.sizeGb === 1
        ? 'parameters.sizeGb: production needs more than 1 GB'
        : undefined,
    policy: {
      requiresApproval: request =>
        request.parameters.sizeGb === 500
          ? { reason: 'the largest size needs a look' }
          : undefined,
    },
    async provision(ctx) {
      const { id } = ctx.request;
      const hook =
        behaviour.afterCreate?.[
          Math.min(provisionCalls, (behaviour.afterCreate?.length ?? 1) - 1)
        ];
      provisionCalls += 1;
      increment(recorder.provisions, id);
      if (running.has(id)) {
        recorder.overlaps += 1;
      }
      running.add(id);
      try {
        const handle = await ctx.checkpoint({
          key: 'create',
          fn: async () => {
            increment(recorder.sideEffects, id);
            return `fake-${ctx.request.name}`;
          },
        });
        await hook?.(ctx);
        await ctx.setOutput('handle', handle);
      } finally {
        running.delete(id);
      }
    },
    ...(behaviour.observe
      ? {
          async observe(ctx: StepContext) {
            recorder.observedOutputs.push({ ...ctx.outputs });
            const results = behaviour.observe!;
            return results[Math.min(observeCalls++, results.length - 1)];
          },
        }
      : {}),
    actions: {
      resize: {
        title: 'Resize',
        parameters: {
          type: 'object',
          required: ['sizeGb'],
          additionalProperties: false,
          properties: { sizeGb: { type: 'integer', minimum: 1, maximum: 500 } },
        },
        // What a schema cannot say: it depends on the request's outputs.
        checkInput: (input, { request, outputs }) =>
          outputs.sizeGb !== undefined && input.sizeGb === outputs.sizeGb
            ? `input.sizeGb: ${request.name} has ${outputs.sizeGb} GB already`
            : undefined,
        async run(ctx) {
          recorder.actions.push({
            requestId: ctx.request.id,
            action: ctx.action,
            input: ctx.input,
          });
          await ctx.setOutput('sizeGb', ctx.input.sizeGb ?? null);
        },
      },
      // Held for an approval when it goes to production, as a deploy would be.
      promote: {
        title: 'Promote',
        parameters: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: {
            to: { type: 'string', enum: ['staging', 'production'] },
          },
        },
        requiresApproval: (input, { request }) =>
          input.to === 'production'
            ? {
                reason: `promoting ${request.name} to production`,
                ...(request.parameters.environment === 'staging'
                  ? { approvers: 'group:default/orders-team' }
                  : {}),
              }
            : undefined,
        async run(ctx) {
          recorder.actions.push({
            requestId: ctx.request.id,
            action: ctx.action,
            input: ctx.input,
          });
          await ctx.setOutput('promotedTo', String(ctx.input.to));
        },
      },
    },
    async destroy(ctx) {
      increment(recorder.destroys, ctx.request.id);
      await behaviour.destroy?.(ctx);
    },
  };
  return { type, recorder };
}
