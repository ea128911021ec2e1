import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ActiveUsers } from '../api';
import { count, percent } from './format';
import { Chart, Empty, Section, Stat } from './Section';

const SIZE = { width: 800, height: 260 };

/** DAU, WAU and MAU per day, and stickiness (DAU / MAU). */
export function ActiveUsersSection({ data }: { data: ActiveUsers }) {
  const days = data.days.filter(d => d.dau !== null || d.mau !== null);
  const latest = days[days.length - 1];
  const stickiness = days.filter(d => d.stickiness !== null);
  const averageStickiness = stickiness.length
    ? stickiness.reduce((sum, d) => sum + (d.stickiness ?? 0), 0) /
      stickiness.length
    : null;
  return (
    <Section
      title="Active users"
      subtitle={`Distinct people per day (DAU), 7 days (WAU) and 30 days (MAU). Days with fewer than ${data.minimumGroupSize} people are not shown.`}
    >
      {days.length === 0 ? (
        <Empty>
          No active users in this range yet, or fewer than{' '}
          {data.minimumGroupSize} a day.
        </Empty>
      ) : (
        <>
          <Stat label="DAU" value={count(latest?.dau)} hint={latest?.day} />
          <Stat label="WAU" value={count(latest?.wau)} hint={latest?.day} />
          <Stat label="MAU" value={count(latest?.mau)} hint={latest?.day} />
          <Stat
            label="Stickiness"
            value={percent(averageStickiness)}
            hint="average DAU / MAU"
          />
          <Chart label="Daily, weekly and monthly active users">
            <ResponsiveContainer
              width="100%"
              height="100%"
              initialDimension={SIZE}
            >
              <LineChart data={data.days}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Line dataKey="dau" name="DAU" stroke="#1f77b4" dot={false} />
                <Line dataKey="wau" name="WAU" stroke="#2ca02c" dot={false} />
                <Line dataKey="mau" name="MAU" stroke="#9467bd" dot={false} />
              </LineChart>
            </ResponsiveContainer>
          </Chart>
        </>
      )}
    </Section>
  );
}
