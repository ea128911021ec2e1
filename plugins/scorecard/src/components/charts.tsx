import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Text,
  Tooltip,
  XAxis,
  XAxisTickContentProps,
  YAxis,
} from 'recharts';
import { LevelCount } from '../api';
import { levelColor, levelName } from '../lib/levels';

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
        initialDimension={{ width: 600, height: props.height }}
      >
        {props.children}
      </ResponsiveContainer>
    </Box>
  );
}

/**
 * A level's axis label, on at most two lines as wide as its bar's share of the axis
 * ("2" / "Standardized"), cut with an ellipsis only when even that does not fit (a
 * narrow window; the counts below the chart name every level in full). Unwrapped,
 * recharts drops the labels that would overlap: levels 2 and 4 at a card's width.
 */
function LevelTick(props: XAxisTickContentProps) {
  const { x, y, width, visibleTicksCount, payload, fill } = props;
  // A little space between neighbours.
  const band = Number(width) / Math.max(visibleTicksCount, 1) - 2;
  return (
    <Text
      x={x}
      y={y}
      width={band}
      maxLines={2}
      // As a style, not an attribute: recharts measures the words with it.
      style={{ fontSize: '12px' }}
      textAnchor="middle"
      verticalAnchor="start"
      fill={fill}
      className="recharts-cartesian-axis-tick-value"
    >
      {String(payload.value)}
    </Text>
  );
}

/** Entities per level as bars, with the counts as text below for screen readers. */
export function LevelDistributionChart(props: {
  levels: LevelCount[];
  label?: string;
  height?: number;
}) {
  const { levels, label = 'Level distribution', height = 240 } = props;
  const data = levels.map(l => ({
    ...l,
    label: `${l.level} ${levelName(l.level, l.name)}`,
  }));
  return (
    <>
      <ChartFrame label={label} height={height}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          {/* Every level named: interval 0 keeps all ticks, LevelTick wraps them. */}
          <XAxis dataKey="label" interval={0} height={44} tick={LevelTick} />
          {/* Narrower than its default 60 px: counts are short, the labels need room. */}
          <YAxis allowDecimals={false} width={36} />
          <Tooltip />
          <Bar dataKey="count" name="Entities">
            {data.map(d => (
              <Cell key={d.level} fill={levelColor(d.level)} />
            ))}
          </Bar>
        </BarChart>
      </ChartFrame>
      <Box display="flex" flexWrap="wrap" mt={1} aria-label={`${label} counts`}>
        {data.map(d => (
          <Box key={d.level} mr={2}>
            <Typography variant="caption">
              {`Level ${d.level} · ${levelName(d.level, d.name)}: ${d.count}`}
            </Typography>
          </Box>
        ))}
      </Box>
    </>
  );
}

/** Entities per level per day, stacked. */
export function TrendChart(props: {
  days: Array<{ day: string; levels: Array<{ level: number; count: number }> }>;
}) {
  const levels = Array.from(
    new Set(props.days.flatMap(d => d.levels.map(l => l.level))),
  ).sort((a, b) => a - b);
  const data = props.days.map(d => {
    const row: Record<string, string | number> = { day: d.day };
    for (const l of levels) {
      row[`level${l}`] = d.levels.find(x => x.level === l)?.count ?? 0;
    }
    return row;
  });
  return (
    <ChartFrame label="Level trend" height={260}>
      <AreaChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {levels.map(l => (
          <Area
            key={l}
            type="monotone"
            dataKey={`level${l}`}
            name={`${l} ${levelName(l)}`}
            stackId="levels"
            stroke={levelColor(l)}
            fill={levelColor(l)}
          />
        ))}
      </AreaChart>
    </ChartFrame>
  );
}

/** An entity's level over time, as steps (oldest first). */
export function HistoryChart(props: {
  points: Array<{ recordedAt: string; level: number }>;
}) {
  const data = props.points.map(p => ({
    at: new Date(p.recordedAt).toLocaleDateString('en-US'),
    level: p.level,
  }));
  return (
    <ChartFrame label="Level history" height={140}>
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="at" />
        <YAxis domain={[0, 5]} ticks={[0, 1, 2, 3, 4, 5]} width={24} />
        <Tooltip />
        <Line type="stepAfter" dataKey="level" name="Level" stroke="#1f77b4" />
      </LineChart>
    </ChartFrame>
  );
}
