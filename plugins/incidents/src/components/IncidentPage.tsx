import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  INCIDENT_OPEN_STATUSES,
  IncidentOpenStatus,
} from '@paved/plugin-incidents-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  absoluteTime,
  ActorName,
  formatDuration,
  messageOf,
} from '@paved/display-react';
import { incidentsApiRef } from '../api';
import { SeverityChip, StatusChip } from './Chips';
import { ResolveDialog } from './ResolveDialog';
import { Timeline } from './Timeline';

/** One incident: what it is, its timeline, and what responders do next. */
export function IncidentPage(props: { id: string }) {
  const api = useApi(incidentsApiRef);
  const incident = useAsyncRetry(() => api.getIncident(props.id), [props.id]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [resolving, setResolving] = useState(false);

  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      incident.retry();
      return true;
    } catch (e) {
      setError(e as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (incident.loading && !incident.value) return <Progress />;
  if (incident.error) return <ResponseErrorPanel error={incident.error} />;
  const details = incident.value!;
  const resolved = details.status === 'resolved';

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <SeverityChip severity={details.severity} />
          <Typography variant="h4" component="h1">
            {details.summary}
          </Typography>
          <StatusChip status={details.status} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          On <EntityRefLink entityRef={details.entityRef} />, owned by{' '}
          <EntityRefLink entityRef={details.owner} />. Opened{' '}
          {absoluteTime(details.openedAt)} by{' '}
          <ActorName actor={details.openedBy} />.
          {details.timeToRestoreMs !== undefined &&
            ` Restored in ${formatDuration(details.timeToRestoreMs)}.`}
        </Typography>
        {details.description && (
          <Typography variant="body1" style={{ whiteSpace: 'pre-wrap' }}>
            {details.description}
          </Typography>
        )}
      </Grid>
      {error && (
        <Grid item xs={12}>
          <Alert severity="error">{messageOf(error)}</Alert>
        </Grid>
      )}
      <Grid item xs={12} md={8}>
        <InfoCard title="Timeline">
          {details.runbookRunsError && (
            <Alert severity="warning" style={{ marginBottom: 16 }}>
              {details.runbookRunsError}
            </Alert>
          )}
          <Timeline events={details.timeline} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        {resolved ? (
          <InfoCard title="Resolved">
            <Typography variant="body2">
              By <ActorName actor={details.resolvedBy ?? 'someone'} /> at{' '}
              {absoluteTime(details.resolvedAt!)}
            </Typography>
            <Typography variant="body1">Cause: {details.cause}</Typography>
            {details.resolution && (
              <Typography variant="body1">
                Resolution: {details.resolution}
              </Typography>
            )}
          </InfoCard>
        ) : (
          <InfoCard title="Respond">
            <TextField
              select
              label="Status"
              value={details.status}
              disabled={busy}
              onChange={e =>
                act(() =>
                  api.setStatus(
                    details.id,
                    e.target.value as IncidentOpenStatus,
                  ),
                )
              }
              SelectProps={{ native: true }}
              inputProps={{ 'aria-label': 'Status' }}
              fullWidth
              margin="normal"
            >
              {INCIDENT_OPEN_STATUSES.map(status => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </TextField>
            <TextField
              id="incident-note"
              label="Note"
              value={note}
              onChange={e => setNote(e.target.value)}
              fullWidth
              multiline
              minRows={2}
              margin="normal"
              helperText="What you found or did; it goes on the timeline"
            />
            <Box display="flex" style={{ gap: 8 }} mt={1}>
              <Button
                variant="outlined"
                disabled={busy || !note.trim()}
                onClick={async () => {
                  if (await act(() => api.addNote(details.id, note.trim()))) {
                    setNote('');
                  }
                }}
              >
                Add note
              </Button>
              <Button
                color="primary"
                variant="contained"
                disabled={busy}
                onClick={() => setResolving(true)}
              >
                Resolve
              </Button>
            </Box>
          </InfoCard>
        )}
      </Grid>
      <ResolveDialog
        open={resolving}
        busy={busy}
        onClose={() => setResolving(false)}
        onResolve={async (cause, resolution) => {
          if (await act(() => api.resolve(details.id, cause, resolution))) {
            setResolving(false);
          }
        }}
      />
    </Grid>
  );
}
