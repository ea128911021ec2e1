import Chip from '@material-ui/core/Chip';
import { EnvironmentStage } from '@paved/plugin-deployments-common';
import { STAGE_LABELS } from '../lib/format';

const STAGE_COLORS: Record<
  EnvironmentStage,
  'default' | 'primary' | 'secondary'
> = {
  development: 'default',
  staging: 'primary',
  production: 'secondary',
};

/** An environment's stage: development, staging or production. */
export function StageChip(props: { stage: EnvironmentStage }) {
  return (
    <Chip
      size="small"
      data-testid="stage-chip"
      label={STAGE_LABELS[props.stage] ?? props.stage}
      color={STAGE_COLORS[props.stage] ?? 'default'}
    />
  );
}
