import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Usage } from '../api';
import { count } from './format';
import { Chart, Empty, Section } from './Section';
import { SimpleTable } from './SimpleTable';

const SIZE = { width: 800, height: 260 };

const hiddenNote = (hidden: number | undefined, size: number) =>
  hidden
    ? ` ${hidden} more used by fewer than ${size} people are not shown.`
    : '';

/** Events and people per plugin (bar chart) and the most viewed pages. */
export function UsageSection({ data }: { data: Usage }) {
  const plugins = data.plugins.slice(0, 15);
  const usersNote = data.plugins.some(p => !p.usersExact)
    ? ' "People" is the most in one day or week of the range (a lower bound).'
    : '';
  return (
    <Section
      title="Usage per plugin"
      subtitle={`Events recorded per plugin.${usersNote}${hiddenNote(
        data.hidden?.plugins,
        data.minimumGroupSize,
      )}`}
    >
      {plugins.length === 0 ? (
        <Empty>
          No plugin usage in this range yet. Browse the portal and come back
          after the next rollup.
        </Empty>
      ) : (
        <Chart label="Events per plugin">
          <ResponsiveContainer
            width="100%"
            height="100%"
            initialDimension={SIZE}
          >
            <BarChart data={plugins}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="pluginId" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="events" name="Events" fill="#1f77b4" />
              <Bar dataKey="users" name="People" fill="#ff7f0e" />
            </BarChart>
          </ResponsiveContainer>
        </Chart>
      )}
      <SimpleTable
        label="Usage per plugin"
        rows={plugins}
        rowKey={p => p.pluginId}
        columns={[
          { title: 'Plugin', render: p => p.pluginId },
          { title: 'Events', render: p => count(p.events), numeric: true },
          { title: 'People', render: p => count(p.users), numeric: true },
        ]}
      />
      <h3>Top pages</h3>
      {data.pages.length === 0 ? (
        <Empty>No page views in this range yet.</Empty>
      ) : (
        <SimpleTable
          label="Top pages"
          rows={data.pages.slice(0, 20)}
          rowKey={p => `${p.pluginId}:${p.route}`}
          columns={[
            { title: 'Page (route)', render: p => p.route },
            { title: 'Plugin', render: p => p.pluginId },
            { title: 'Views', render: p => count(p.events), numeric: true },
            { title: 'People', render: p => count(p.users), numeric: true },
          ]}
        />
      )}
    </Section>
  );
}
