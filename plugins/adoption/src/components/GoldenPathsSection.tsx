import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { GoldenPaths, GoldenPathTemplate } from '../api';
import { count, duration, percent } from './format';
import { Chart, Empty, Section, Stat } from './Section';
import { SimpleTable } from './SimpleTable';

const SIZE = { width: 800, height: 260 };

const name = (t: GoldenPathTemplate) => t.title ?? t.templateRef;

/** Scaffolder runs per template: success, duration, time saved, adoption. */
export function GoldenPathsSection({ data }: { data: GoldenPaths }) {
  const shown = data.templates.filter(t => !t.suppressed);
  const sum = (pick: (t: GoldenPathTemplate) => number | null) =>
    shown.reduce((total, t) => total + (pick(t) ?? 0), 0);
  const runs = sum(t => t.runs);
  const succeeded = sum(t => t.succeeded);
  return (
    <Section
      title="Golden paths"
      subtitle="Software template runs in this range. Components created from templates count all time."
    >
      <Stat label="Runs" value={count(runs)} />
      <Stat
        label="Success rate"
        value={runs ? percent(succeeded / runs) : '–'}
      />
      <Stat label="Time saved" value={duration(sum(t => t.timeSavedMs))} />
      <Stat
        label="Components from templates"
        value={percent(data.components.share)}
        hint={`${count(data.components.fromTemplates)} of ${count(
          data.components.total,
        )}`}
      />
      {data.templates.length === 0 ? (
        <Empty>
          No template runs in this range. Runs are read from the scaffolder
          every 10 minutes.
        </Empty>
      ) : (
        <>
          <Chart label="Template runs by outcome">
            <ResponsiveContainer
              width="100%"
              height="100%"
              initialDimension={SIZE}
            >
              <BarChart data={shown.map(t => ({ ...t, name: name(t) }))}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="succeeded"
                  name="Succeeded"
                  stackId="runs"
                  fill="#2ca02c"
                />
                <Bar
                  dataKey="failed"
                  name="Failed"
                  stackId="runs"
                  fill="#d62728"
                />
                <Bar
                  dataKey="cancelled"
                  name="Cancelled"
                  stackId="runs"
                  fill="#7f7f7f"
                />
              </BarChart>
            </ResponsiveContainer>
          </Chart>
          <SimpleTable
            label="Golden paths"
            rows={data.templates}
            rowKey={t => t.templateRef}
            columns={[
              { title: 'Template', render: name },
              {
                title: 'Runs',
                render: t =>
                  t.suppressed ? 'fewer people than shown' : count(t.runs),
                numeric: true,
              },
              {
                title: 'Success rate',
                render: t => percent(t.successRate),
                numeric: true,
              },
              {
                title: 'Median duration',
                render: t => duration(t.medianDurationMs),
                numeric: true,
              },
              {
                title: 'Time saved',
                render: t => duration(t.timeSavedMs),
                numeric: true,
              },
              {
                title: 'Components',
                render: t => count(t.components),
                numeric: true,
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}
