/**
 * What AI agents may do through Paved's actions (`paved.agents`), and the helper each
 * plugin registers its actions in the Actions Registry with.
 *
 * @packageDocumentation
 */
export { AgentActions, principalRef } from './AgentActions';
export type { AgentActionOptions, AgentCallContext } from './AgentActions';
export { DEFAULT_AGENT_POLICY, readAgentPolicy } from './AgentPolicy';
export type { AgentActionKind, AgentMode, AgentPolicy } from './AgentPolicy';
export { decideAgentCall } from './decideAgentCall';
export type { AgentDecision } from './decideAgentCall';
export { AGENT_CLIENT_HEADER, agentClientOf } from './agentClient';
