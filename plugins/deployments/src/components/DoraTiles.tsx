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

/** The four DORA figures, each with its level in the research's bands. */
export function DoraTiles(props: { figures: DoraFigures }) {
  const { figures } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
      <Tile
        id="deployment-frequency"
        label="Deployment frequency"
        value={formatPerWeek(figures.deploymentsPerWeek)}
        level={figures.levels.deploymentFrequency}
        hint="Production deployments per week"
      />
      <Tile
        id="lead-time"
        label="Lead time for changes"
        value={formatHours(figures.leadTimeHours)}
        level={figures.levels.leadTime}
        hint="Needs commit times from CI"
      />
      <Tile
        id="change-failure-rate"
        label="Change failure rate"
        value={formatRate(figures.changeFailureRate)}
        level={figures.levels.changeFailureRate}
        hint="No production deployments"
      />
      <Tile
        id="time-to-restore"
        label="Time to restore"
        value={formatHours(figures.timeToRestoreHours)}
        level={figures.levels.timeToRestore}
        hint="Nothing failed"
      />
    </Box>
  );
}
