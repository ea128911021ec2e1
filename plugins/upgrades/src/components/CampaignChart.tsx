import Box from '@material-ui/core/Box';
import { CampaignProgressPoint } from '@paved/plugin-upgrades-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { STATE_COLORS } from './StateChip';

const SERIES = [
  { key: 'merged', name: 'Merged', color: STATE_COLORS.merged },
  { key: 'open', name: 'Open', color: STATE_COLORS.open },
  { key: 'conflicted', name: 'Conflicted', color: STATE_COLORS.conflicted },
  {
    key: 'notStarted',
    name: 'Not started',
    color: STATE_COLORS['not-started'],
  },
] as const;

/**
 * A campaign's services by state over time, stacked so the total stays the height
 * of the chart and the merged band grows from the bottom.
 */
export function CampaignChart(props: {
  progress: CampaignProgressPoint[];
  height?: number;
}) {
  const { progress, height = 260 } = props;
  const data = progress.map(point => ({
    at: point.at.slice(0, 10),
    merged: point.counts.merged,
    open: point.counts.open,
    conflicted: point.counts.conflicted,
    notStarted: point.counts.notStarted,
  }));
  return (
    <Box
      role="img"
      aria-label="Progress over time"
      data-testid="campaign-chart"
      data-points={data.length}
      height={height}
      width="100%"
    >
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={{ width: 600, height }}
      >
        <AreaChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" />
          <YAxis allowDecimals={false} width={32} />
          <Tooltip />
          <Legend />
          {SERIES.map(series => (
            <Area
              key={series.key}
              type="stepAfter"
              dataKey={series.key}
              name={series.name}
              stackId="services"
              stroke={series.color}
              fill={series.color}
              fillOpacity={0.6}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </Box>
  );
}
