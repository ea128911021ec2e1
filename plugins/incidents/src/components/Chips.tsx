import Chip from '@material-ui/core/Chip';
import {
  IncidentSeverity,
  IncidentStatus,
} from '@paved/plugin-incidents-common';

const SEVERITY_COLORS: Record<IncidentSeverity, string> = {
  sev1: '#b71c1c',
  sev2: '#e65100',
  sev3: '#f9a825',
  sev4: '#607d8b',
};

export function SeverityChip(props: { severity: IncidentSeverity }) {
  return (
    <Chip
      size="small"
      label={props.severity.toUpperCase()}
      style={{
        backgroundColor: SEVERITY_COLORS[props.severity],
        color: props.severity === 'sev3' ? '#000' : '#fff',
      }}
    />
  );
}

export function StatusChip(props: { status: IncidentStatus }) {
  return (
    <Chip
      size="small"
      variant={props.status === 'resolved' ? 'default' : 'outlined'}
      color={props.status === 'resolved' ? 'default' : 'secondary'}
      label={props.status}
    />
  );
}
