import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { DoraFigures, DoraLevel } from '@paved/plugin-deployments-common';
import {
  formatHours,
  formatPerWeek,
  formatRate,
  LEVEL_COLORS,
  LEVEL_LABELS,
} from '../lib/format';

function Tile(props: {
  id: string;
  label: string;
  value: string;
  level?: DoraLevel;
  hint: string;
}) {
  const { id, label, value, level, hint } = props;
  return (
    <Paper
      variant="outlined"
      role="group"
      aria-label={label}
      data-testid={`dora-${id}`}
      data-level={level ?? 'none'}
      style={{ padding: 12, flex: '1 1 160px' }}
    >
      <Typography variant="overline" component="div">
        {label}
      </Typography>
      <Typography variant="h5" component="div">
        {value}
      </Typography>
      {level ? (
        <Typography
          variant="caption"
          component="div"
          style={{ color: LEVEL_COLORS[level], fontWeight: 600 }}
        >
          {LEVEL_LABELS[level]}
        </Typography>
      ) : (
        <Typography variant="caption" component="div" color="textSecondary">
          {hint}
        </Typography>
      )}
    </Paper>
  );
}

/** The four DORA figures: how each reads and, without a level, why there is none. */
const TILES: Array<{
  id: string;
  label: string;
  value: (figures: DoraFigures) => string;
  level: (figures: DoraFigures) => DoraLevel | undefined;
  hint: string;
}> = [
  {
    id: 'deployment-frequency',
    label: 'Deployment frequency',
    value: f => formatPerWeek(f.deploymentsPerWeek),
    level: f => f.levels.deploymentFrequency,
    hint: 'Production deployments per week',
  },
  {
    id: 'lead-time',
    label: 'Lead time for changes',
    value: f => formatHours(f.leadTimeHours),
    level: f => f.levels.leadTime,
    hint: 'Needs commit times from CI',
  },
  {
    id: 'change-failure-rate',
    label: 'Change failure rate',
    value: f => formatRate(f.changeFailureRate),
    level: f => f.levels.changeFailureRate,
    hint: 'No production deployments',
  },
  {
    id: 'time-to-restore',
    label: 'Time to restore',
    value: f => formatHours(f.timeToRestoreHours),
    level: f => f.levels.timeToRestore,
    hint: 'Nothing failed',
  },
];

/** The four DORA figures, each with its level in the research's bands. */
export function DoraTiles(props: { figures: DoraFigures }) {
  const { figures } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
      {TILES.map(tile => (
        <Tile
          key={tile.id}
          id={tile.id}
          label={tile.label}
          value={tile.value(figures)}
          level={tile.level(figures)}
          hint={tile.hint}
        />
      ))}
    </Box>
  );
}
