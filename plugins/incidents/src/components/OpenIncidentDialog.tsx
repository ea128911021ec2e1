import { useApi } from '@backstage/frontend-plugin-api';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  Incident,
  INCIDENT_SEVERITIES,
  IncidentSeverity,
} from '@paved/plugin-incidents-common';
import { useState } from 'react';
import { incidentsApiRef } from '../api';
import { messageOf } from '@paved/display-react';

const SEVERITY_HINTS: Record<IncidentSeverity, string> = {
  sev1: 'SEV1: down for everyone',
  sev2: 'SEV2: a major feature is broken',
  sev3: 'SEV3: degraded, with a workaround',
  sev4: 'SEV4: minor',
};

/** Opens an incident on an entity; its owning team is notified. */
export function OpenIncidentDialog(props: {
  entityRef: string;
  open: boolean;
  onClose: () => void;
  onOpened: (incident: Incident) => void;
}) {
  const api = useApi(incidentsApiRef);
  const [severity, setSeverity] = useState<IncidentSeverity>('sev2');
  const [summary, setSummary] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const incident = await api.openIncident({
        entityRef: props.entityRef,
        severity,
        summary: summary.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setSummary('');
      setDescription('');
      props.onOpened(incident);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        Open an incident on{' '}
        <EntityDisplayName entityRef={props.entityRef} hideIcon />
      </DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            Could not open the incident: {messageOf(error)}
          </Alert>
        )}
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={e => setSeverity(e.target.value as IncidentSeverity)}
          fullWidth
          margin="normal"
          SelectProps={{ native: true }}
          inputProps={{ 'aria-label': 'Severity' }}
        >
          {INCIDENT_SEVERITIES.map(s => (
            <option key={s} value={s}>
              {SEVERITY_HINTS[s]}
            </option>
          ))}
        </TextField>
        <TextField
          id="incident-summary"
          label="Summary"
          value={summary}
          onChange={e => setSummary(e.target.value)}
          required
          fullWidth
          margin="normal"
          inputProps={{ maxLength: 200 }}
          helperText="What is broken, as users see it (up to 200 characters)"
        />
        <TextField
          id="incident-description"
          label="Description"
          value={description}
          onChange={e => setDescription(e.target.value)}
          fullWidth
          multiline
          minRows={3}
          margin="normal"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !summary.trim()}
          onClick={submit}
        >
          Open incident
        </Button>
      </DialogActions>
    </Dialog>
  );
}
