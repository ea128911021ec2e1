import Chip from '@material-ui/core/Chip';
import { CampaignTargetState } from '@paved/plugin-upgrades-common';
import { STATE_LABELS } from '../lib/format';

/** Colours shared by the chips and the campaign chart, so they read alike. */
export const STATE_COLORS: Record<CampaignTargetState, string> = {
  'not-started': '#9e9e9e',
  proposing: '#64b5f6',
  open: '#1976d2',
  conflicted: '#e65100',
  merged: '#2e7d32',
  closed: '#616161',
};

/** A change's (or a campaign target's) state: open, conflicted, merged... */
export function StateChip(props: { state: CampaignTargetState }) {
  const { state } = props;
  return (
    <Chip
      size="small"
      data-testid="change-state"
      data-state={state}
      label={STATE_LABELS[state] ?? state}
      style={{ backgroundColor: STATE_COLORS[state], color: '#fff' }}
    />
  );
}
