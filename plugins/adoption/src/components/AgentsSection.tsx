import { Link } from '@backstage/core-components';
import { Usage } from '../api';
import { count, percent } from './format';
import { Empty, Section, Stat } from './Section';
import { SimpleTable } from './SimpleTable';

/**
 * The usage plugin the MCP server's gate records agents' tool calls under
 * (`@paved/plugin-mcp-actions-backend-module-guardrails`): one action per tool.
 */
export const AGENTS_PLUGIN = 'agents';

/** docs/agents.md, as TechDocs serves the portal's own docs. */
export const AGENTS_DOCS = '/docs/default/component/paved-portal/agents/';

const sum = (rows: Usage['actions']) =>
  rows.reduce((total, row) => total + row.events, 0);

/**
 * What AI agents did through the MCP server, per tool, beside what people did
 * through the portal (every other plugin's recorded actions).
 */
export function AgentsSection({ data }: { data: Usage }) {
  const agents = data.actions.filter(a => a.pluginId === AGENTS_PLUGIN);
  const people = data.actions.filter(a => a.pluginId !== AGENTS_PLUGIN);
  const agentCalls = sum(agents);
  const peopleActions = sum(people);
  const all = agentCalls + peopleActions;
  return (
    <Section
      title="Agents"
      subtitle={`Calls AI agents (MCP clients) made for the people they act for, under the same permissions and the agent policy. Calls by fewer than ${data.minimumGroupSize} people are not shown.`}
    >
      {agents.length === 0 ? (
        <Empty>
          No agent calls in this range yet. Agents call Paved's self-service
          through the MCP server at /api/mcp-actions/v1:{' '}
          <Link to={AGENTS_DOCS}>Connect an AI agent (docs/agents.md)</Link>.
        </Empty>
      ) : (
        <>
          <Stat label="Agent calls" value={count(agentCalls)} />
          <Stat
            label="Actions by people"
            value={count(peopleActions)}
            hint="Requests, runs and changes made in the portal"
          />
          <Stat
            label="Share by agents"
            value={percent(all ? agentCalls / all : null)}
          />
          <SimpleTable
            label="Agent calls, per action"
            rows={agents}
            rowKey={a => a.action}
            columns={[
              { title: 'Tool', render: a => a.action },
              { title: 'Calls', render: a => count(a.events), numeric: true },
              { title: 'People', render: a => count(a.users), numeric: true },
            ]}
          />
        </>
      )}
    </Section>
  );
}
