import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { DoraWeek } from '@paved/plugin-deployments-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

function ChartFrame(props: {
  label: string;
  height: number;
  children: React.ReactElement;
}) {
  return (
    <Box role="img" aria-label={props.label} height={props.height} width="100%">
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={{ width: 500, height: props.height }}
      >
        {props.children}
      </ResponsiveContainer>
    </Box>
  );
}

/** Weekly production deployments (bars) and lead time / failure rate (lines). */
export function DoraCharts(props: { weeks: DoraWeek[]; height?: number }) {
  const { weeks, height = 220 } = props;
  const data = weeks.map(w => ({
    week: w.week.slice(5),
    deployments: w.deployments,
    leadTime:
      w.leadTimeHours === undefined
        ? undefined
        : Math.round(w.leadTimeHours * 10) / 10,
    failureRate:
      w.changeFailureRate === undefined
        ? undefined
        : Math.round(w.changeFailureRate * 100),
  }));
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <ChartFrame label="Deployments per week" height={height}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis allowDecimals={false} width={32} />
            <Tooltip />
            <Bar
              dataKey="deployments"
              name="Production deployments"
              fill="#1f77b4"
            />
          </BarChart>
        </ChartFrame>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartFrame label="Lead time and change failure rate" height={height}>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis yAxisId="hours" width={40} unit="h" />
            <YAxis
              yAxisId="rate"
              orientation="right"
              width={40}
              unit="%"
              domain={[0, 100]}
            />
            <Tooltip />
            <Legend />
            <Line
              yAxisId="hours"
              type="monotone"
              dataKey="leadTime"
              name="Lead time (hours)"
              stroke="#2ca02c"
              connectNulls
            />
            <Line
              yAxisId="rate"
              type="monotone"
              dataKey="failureRate"
              name="Change failure rate (%)"
              stroke="#d62728"
              connectNulls
            />
          </LineChart>
        </ChartFrame>
      </Grid>
    </Grid>
  );
}
