import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * What an action does, as far as the agent policy is concerned. It also decides the
 * action's `readOnly` / `destructive` attributes, so they cannot disagree.
 *
 * @public
 */
export type AgentActionKind = 'read' | 'change' | 'request' | 'destructive';

/** @public */
export type AgentMode = 'allow' | 'approval' | 'dry-run' | 'deny';

/**
 * `paved.agents`, read and checked at start-up.
 *
 * @public
 */
export interface AgentPolicy {
  read: 'allow' | 'deny';
  change: 'allow' | 'deny';
  request: 'allow' | 'approval' | 'deny';
  destructive: 'allow' | 'dry-run' | 'deny';
  /** Group entity ref that approves agents' requests; undefined: the plugin's default. */
  approvers?: string;
  /** Per action id, e.g. `provisioning:delete-resource`. */
  actions: Record<string, AgentMode>;
}

/**
 * The defaults: agents read; they request, but always through approval; destructive
 * actions only as dry runs; anything else changes nothing until config allows it.
 *
 * @public
 */
export const DEFAULT_AGENT_POLICY: AgentPolicy = Object.freeze({
  read: 'allow',
  change: 'deny',
  request: 'approval',
  destructive: 'dry-run',
  actions: {},
}) as AgentPolicy;

const MODES_BY_KIND: Record<AgentActionKind, readonly AgentMode[]> = {
  read: ['allow', 'deny'],
  change: ['allow', 'deny'],
  request: ['allow', 'approval', 'deny'],
  destructive: ['allow', 'dry-run', 'deny'],
};
const ALL_MODES: readonly AgentMode[] = [
  'allow',
  'approval',
  'dry-run',
  'deny',
];

function readMode<K extends AgentActionKind>(
  config: Config,
  kind: K,
): AgentPolicy[K] {
  const value = config.getOptionalString(kind);
  if (value === undefined) {
    return DEFAULT_AGENT_POLICY[kind];
  }
  if (!MODES_BY_KIND[kind].includes(value as AgentMode)) {
    throw new InputError(
      `Invalid config paved.agents.${kind}: '${value}' is not one of ${MODES_BY_KIND[
        kind
      ].join(', ')}`,
    );
  }
  return value as AgentPolicy[K];
}

/**
 * Reads `paved.agents`; a value it does not know stops start-up with the key named.
 *
 * @public
 */
export function readAgentPolicy(root: Config): AgentPolicy {
  const config = root.getOptionalConfig('paved.agents');
  if (!config) {
    return { ...DEFAULT_AGENT_POLICY, actions: {} };
  }
  const actions: Record<string, AgentMode> = {};
  const overrides = config.getOptionalConfig('actions');
  for (const id of overrides?.keys() ?? []) {
    // The id first: reading the value of a key with a dot in it (`a.b`) would look
    // for a nested key and fail with a message that does not say what is wrong.
    if (!/^[a-z0-9-]+:[a-z0-9-]+$/.test(id)) {
      throw new InputError(
        `Invalid config paved.agents.actions.${id}: not an action id like 'provisioning:delete-resource'`,
      );
    }
    const mode = overrides!.getString(id);
    if (!ALL_MODES.includes(mode as AgentMode)) {
      throw new InputError(
        `Invalid config paved.agents.actions.${id}: '${mode}' is not one of ${ALL_MODES.join(
          ', ',
        )}`,
      );
    }
    actions[id] = mode as AgentMode;
  }
  return {
    read: readMode(config, 'read'),
    change: readMode(config, 'change'),
    request: readMode(config, 'request'),
    destructive: readMode(config, 'destructive'),
    approvers: config.getOptionalString('approvers'),
    actions,
  };
}
