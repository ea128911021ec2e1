import { ReactNode, useMemo, useState } from 'react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import { adoptionApiRef } from '../api';
import { ActiveUsersSection } from './ActiveUsersSection';
import { AgentsSection } from './AgentsSection';
import { DocsSection } from './DocsSection';
import { Filters, RangeDays } from './Filters';
import { lastDays } from './format';
import { GoldenPathsSection } from './GoldenPathsSection';
import { NpsSection } from './NpsSection';
import { SearchesSection } from './SearchesSection';
import { UsageSection } from './UsageSection';
import { isEmpty, useDashboard } from './useDashboard';

const isForbidden = (error: unknown) =>
  (error as { statusCode?: number } | undefined)?.statusCode === 403 ||
  (error as { name?: string } | undefined)?.name === 'NotAllowedError';

/**
 * `/adoption`: how the portal and its golden paths are used, for the platform team;
 * `sections` are other plugins' (the page's `sections` input), shown below.
 */
export function DashboardPage(props: { sections?: ReactNode[] }) {
  const { sections = [] } = props;
  const api = useApi(adoptionApiRef);
  const alertApi = useApi(alertApiRef);
  const [days, setDays] = useState<RangeDays>(30);
  const [team, setTeam] = useState('');
  const [refreshing, setRefreshing] = useState(false);
  const query = useMemo(
    () => ({ ...lastDays(days), team: team || undefined }),
    [days, team],
  );
  const dashboard = useDashboard(query);

  const refresh = async () => {
    setRefreshing(true);
    try {
      const { days: redone } = await api.refresh();
      alertApi.post({
        message: `Rolled up ${redone} day${redone === 1 ? '' : 's'} of events.`,
        severity: 'success',
        display: 'transient',
      });
      dashboard.retry();
    } catch (error) {
      alertApi.post({
        message: `Could not refresh the figures: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setRefreshing(false);
    }
  };

  if (dashboard.error && isForbidden(dashboard.error)) {
    return (
      <Box p={3}>
        <EmptyState
          missing="info"
          title="Only the platform team can see the adoption dashboard"
          description="The figures here are for the platform team (the portal's admin groups). If you need them, ask the platform team; the survey at the bottom of the portal is where you can tell them what you think."
        />
      </Box>
    );
  }

  const refreshButton = (
    <Button
      variant="outlined"
      color="primary"
      onClick={refresh}
      disabled={refreshing}
    >
      {refreshing ? 'Refreshing…' : 'Refresh now'}
    </Button>
  );

  return (
    <Box p={3}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 16 }}
      >
        <Typography variant="h4" component="h1" style={{ flexGrow: 1 }}>
          Adoption dashboard
        </Typography>
        {refreshButton}
      </Box>
      <Box mb={3}>
        <Filters
          days={days}
          onDaysChange={setDays}
          team={team}
          onTeamChange={setTeam}
        />
      </Box>
      {dashboard.loading && !dashboard.value && <Progress />}
      {dashboard.error && <ResponseErrorPanel error={dashboard.error} />}
      {dashboard.value && isEmpty(dashboard.value) && (
        <Alert severity="info" role="status" style={{ marginBottom: 24 }}>
          <strong>No usage recorded yet</strong>
          {team ? ' for this team' : ''}: browse the portal and come back in 5
          minutes, rollups refresh every 5 minutes (or press “Refresh now” to
          roll up what was received so far).
        </Alert>
      )}
      {dashboard.value && (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <ActiveUsersSection data={dashboard.value.activeUsers} />
          </Grid>
          <Grid item xs={12}>
            <UsageSection data={dashboard.value.usage} />
          </Grid>
          <Grid item xs={12}>
            <AgentsSection data={dashboard.value.usage} />
          </Grid>
          <Grid item xs={12} lg={6}>
            <SearchesSection data={dashboard.value.searches} />
          </Grid>
          <Grid item xs={12} lg={6}>
            <DocsSection data={dashboard.value.docs} />
          </Grid>
          <Grid item xs={12}>
            <GoldenPathsSection data={dashboard.value.goldenPaths} />
          </Grid>
          <Grid item xs={12}>
            <NpsSection data={dashboard.value.nps} />
          </Grid>
        </Grid>
      )}
      {sections.length > 0 && (
        <Grid container spacing={3} style={{ marginTop: 12 }}>
          {sections.map((section, index) => (
            <Grid item xs={12} key={index}>
              {section}
            </Grid>
          ))}
        </Grid>
      )}
    </Box>
  );
}
