import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ActorName, absoluteTime } from '@paved/display-react';
import { ChangeRequest } from '@paved/plugin-upgrades-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { upgradesApiRef } from '../api';
import { templateName } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorMessage } from './ErrorMessage';
import { FileDiffList } from './FileDiffList';
import { StateChip } from './StateChip';

/** The steps to resolve a conflicted change by hand, then read it again. */
function HowToResolve(props: { change: ChangeRequest }) {
  const { change } = props;
  return (
    <Alert severity="warning" data-testid="how-to-resolve">
      <AlertTitle>
        The service's edits and the template's overlap in{' '}
        {change.conflicts.join(', ')}
      </AlertTitle>
      The branch holds both versions between conflict markers. To resolve:
      <ol style={{ margin: '8px 0 0', paddingLeft: 20 }}>
        <li>
          Clone the repository <code>{change.repository}</code>.
        </li>
        <li>
          Check out the branch: <code>git checkout {change.branch}</code>
        </li>
        <li>
          In each conflicted file, keep what the service needs of both sides and
          remove the markers (<code>&lt;&lt;&lt;&lt;&lt;&lt;&lt;</code>,{' '}
          <code>=======</code>, <code>&gt;&gt;&gt;&gt;&gt;&gt;&gt;</code>).
        </li>
        <li>
          Commit and push the branch:{' '}
          <code>git push origin {change.branch}</code>
        </li>
        <li>
          Click <strong>Refresh</strong> here: the change is read again and can
          then be merged.
        </li>
      </ol>
    </Alert>
  );
}

type Action = 'merge' | 'close' | 'refresh';

const ACTION_FAILED: Record<Action, string> = {
  merge: 'The change could not be merged',
  close: 'The change could not be closed',
  refresh: 'The change could not be refreshed',
};

/** `/upgrades/changes/:id`: a change request, its diff, and merging or closing it. */
export function ChangePage(props: { id: string }) {
  const { id } = props;
  const api = useApi(upgradesApiRef);
  const change = useAsyncRetry(() => api.getChange(id), [api, id]);
  const diff = useAsyncRetry(() => api.getChangeDiff(id), [api, id]);
  const [busy, setBusy] = useState<Action>();
  const [confirming, setConfirming] = useState<'merge' | 'close'>();
  const [failure, setFailure] = useState<{ action: Action; error: Error }>();

  const act = async (action: Action) => {
    setBusy(action);
    setFailure(undefined);
    try {
      if (action === 'merge') await api.mergeChange(id);
      else if (action === 'close') await api.closeChange(id);
      else await api.refreshChange(id);
    } catch (error) {
      setFailure({ action, error: error as Error });
    } finally {
      setBusy(undefined);
      setConfirming(undefined);
      change.retry();
      diff.retry();
    }
  };

  if (change.loading && !change.value) return <Progress />;
  if (change.error) return <ResponseErrorPanel error={change.error} />;
  const value = change.value!;
  const done = value.state === 'merged' || value.state === 'closed';
  const conflicted = value.state === 'conflicted';
  // GitHub and GitLab changes are merged and closed on the host.
  const local = value.target === 'local';

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="h4" component="h2">
            {value.title}
          </Typography>
          <StateChip state={value.state} />
        </Box>
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="change-summary"
        >
          <EntityRefLink entityRef={value.entityRef} />: template{' '}
          {templateName(value.templateRef)} {value.fromVersion} →{' '}
          {value.toVersion}. Repository <code>{value.repository}</code>, branch{' '}
          <code>{value.branch}</code>. Proposed {absoluteTime(value.createdAt)}{' '}
          by <ActorName actor={value.createdBy} />.
          {value.mergedAt && ` Merged ${absoluteTime(value.mergedAt)}.`}
          {value.closedAt && ` Closed ${absoluteTime(value.closedAt)}.`}
        </Typography>
        {value.url && (
          <Typography variant="body2">
            <Link to={value.url}>
              Open the {value.target === 'gitlab' ? 'merge' : 'pull'} request
            </Link>
          </Typography>
        )}
        <Box display="flex" style={{ gap: 8 }} mt={2}>
          {local && !done && (
            <>
              <Button
                color="primary"
                variant="contained"
                disabled={conflicted || value.state !== 'open' || !!busy}
                onClick={() => setConfirming('merge')}
              >
                Merge
              </Button>
              <Button
                variant="outlined"
                disabled={!!busy}
                onClick={() => setConfirming('close')}
              >
                Close
              </Button>
            </>
          )}
          {!done && (
            <Button
              variant="outlined"
              disabled={!!busy}
              onClick={() => act('refresh')}
            >
              Refresh
            </Button>
          )}
        </Box>
        {conflicted && local && (
          <Typography variant="caption" color="textSecondary">
            Merging waits until the conflicts are resolved on the branch.
          </Typography>
        )}
      </Grid>
      {failure && (
        <Grid item xs={12}>
          <ErrorMessage
            error={failure.error}
            title={ACTION_FAILED[failure.action]}
          />
        </Grid>
      )}
      {value.state === 'merged' && (
        <Grid item xs={12}>
          <Alert severity="success">
            Merged into the default branch: the service is on{' '}
            {templateName(value.templateRef)} {value.toVersion}.
          </Alert>
        </Grid>
      )}
      {conflicted && (
        <Grid item xs={12}>
          <HowToResolve change={value} />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title={`Files (${value.files.length})`}>
          {diff.loading && !diff.value && <Progress />}
          {diff.error && (
            <ErrorMessage
              error={diff.error}
              title="The diff could not be read"
            />
          )}
          {diff.value && (
            <FileDiffList files={diff.value.files} change={value} />
          )}
        </InfoCard>
      </Grid>
      {confirming === 'merge' && (
        <ConfirmDialog
          title={`Merge ${value.branch}?`}
          confirmLabel="Merge"
          busy={!!busy}
          onClose={() => setConfirming(undefined)}
          onConfirm={() => act('merge')}
        >
          Merges the upgrade into the default branch of{' '}
          <code>{value.repository}</code>; the catalog follows.
        </ConfirmDialog>
      )}
      {confirming === 'close' && (
        <ConfirmDialog
          title="Close this change without merging?"
          confirmLabel="Close change"
          busy={!!busy}
          onClose={() => setConfirming(undefined)}
          onConfirm={() => act('close')}
        >
          The service stays on {value.fromVersion}; the upgrade can be proposed
          again later.
        </ConfirmDialog>
      )}
    </Grid>
  );
}
