import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ActorName, absoluteTime } from '@paved/display-react';
import { CampaignCounts, CampaignDetails } from '@paved/plugin-upgrades-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { upgradesApiRef } from '../api';
import { deadlineText, templateName } from '../lib/format';
import { changeRouteRef } from '../routes';
import { CampaignChart } from './CampaignChart';
import { ErrorMessage } from './ErrorMessage';
import { StateChip } from './StateChip';

const TILES: Array<{ key: keyof CampaignCounts; label: string }> = [
  { key: 'total', label: 'Services' },
  { key: 'notStarted', label: 'Not started' },
  { key: 'open', label: 'Open' },
  { key: 'conflicted', label: 'Conflicted' },
  { key: 'merged', label: 'Merged' },
  { key: 'closed', label: 'Closed' },
];

function Tile(props: {
  id: string;
  label: string;
  value: string;
  hint?: string;
}) {
  return (
    <Paper
      variant="outlined"
      role="group"
      aria-label={props.label}
      data-testid={`campaign-${props.id}`}
      style={{ padding: 12, flex: '1 1 120px' }}
    >
      <Typography variant="overline" component="div">
        {props.label}
      </Typography>
      <Typography variant="h5" component="div">
        {props.value}
      </Typography>
      {props.hint && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.hint}
        </Typography>
      )}
    </Paper>
  );
}

function Targets(props: { campaign: CampaignDetails }) {
  const { campaign } = props;
  const changeRoute = useRouteRef(changeRouteRef);
  if (campaign.targets.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="no-targets"
      >
        No service of {templateName(campaign.templateRef)} is on a version in{' '}
        {campaign.fromRange}: nothing to move.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Services">
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>From version</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Change</TableCell>
          <TableCell>Problem</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {campaign.targets.map(target => (
          <TableRow
            key={target.entityRef}
            data-testid="campaign-target"
            data-entity={target.entityRef}
          >
            <TableCell>
              <EntityRefLink entityRef={target.entityRef} />
            </TableCell>
            <TableCell>
              {target.owner && (
                <EntityRefLink entityRef={target.owner} defaultKind="group" />
              )}
            </TableCell>
            <TableCell>{target.fromVersion}</TableCell>
            <TableCell>
              <StateChip state={target.state} />
            </TableCell>
            <TableCell>
              {target.changeId && changeRoute && (
                <Link to={changeRoute({ id: target.changeId })}>
                  View change
                </Link>
              )}
            </TableCell>
            <TableCell>
              {target.problem && (
                <Typography variant="body2" color="error">
                  {target.problem}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** `/upgrades/campaigns/:id`: a campaign's services, progress and deadline. */
export function CampaignPage(props: { id: string }) {
  const { id } = props;
  const api = useApi(upgradesApiRef);
  const loaded = useAsyncRetry(() => api.getCampaign(id), [api, id]);
  const [ran, setRan] = useState<CampaignDetails>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setRan(await api.runCampaign(id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  if (loaded.loading && !loaded.value) return <Progress />;
  if (loaded.error) return <ResponseErrorPanel error={loaded.error} />;
  const campaign = ran ?? loaded.value!;
  const missing = campaign.targets.filter(t => t.state === 'not-started');

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="h4" component="h2" style={{ flex: 1 }}>
            {campaign.title}
          </Typography>
          <Button
            color="primary"
            variant="contained"
            disabled={running}
            onClick={run}
          >
            Run
          </Button>
        </Box>
        <Typography variant="body2" color="textSecondary">
          Moves the services of template {templateName(campaign.templateRef)} on{' '}
          {campaign.fromRange} to {campaign.toVersion} by {campaign.deadline}.
          Created by <ActorName actor={campaign.createdBy} />
          {campaign.lastRunAt
            ? `; last run ${absoluteTime(campaign.lastRunAt)}.`
            : '; not run yet.'}
        </Typography>
        {campaign.description && (
          <Typography variant="body1">{campaign.description}</Typography>
        )}
        <Typography variant="caption" color="textSecondary" component="div">
          Run opens a change request for every service that has none yet (
          {missing.length} now) and notifies its owners.
        </Typography>
        {running && <LinearProgress data-testid="campaign-running" />}
      </Grid>
      {error && (
        <Grid item xs={12}>
          <ErrorMessage
            error={error}
            title="The campaign could not be run"
            allowed="the platform team"
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
          {TILES.map(tile => (
            <Tile
              key={tile.key}
              id={tile.key}
              label={tile.label}
              value={String(campaign.counts[tile.key])}
            />
          ))}
          <Tile
            id="deadline"
            label="Deadline"
            value={deadlineText(campaign.deadline)}
            hint={campaign.deadline}
          />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Progress over time">
          {campaign.progress.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              The chart starts with the first run.
            </Typography>
          ) : (
            <CampaignChart progress={campaign.progress} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Services">
          <Targets campaign={campaign} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
