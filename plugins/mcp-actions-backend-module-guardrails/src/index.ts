/**
 * The gate in front of Paved's MCP server: names the agent of every MCP call, audits
 * it with the user it acts for, and records it for the adoption dashboard.
 *
 * @packageDocumentation
 */
export { mcpActionsModuleGuardrails as default } from './module';
