import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { FailingCheck, scorecardApiRef } from '../api';
import { levelName } from '../lib/levels';
import { LevelDistributionChart } from './charts';
import { HowToFix } from './FixLink';
import { LevelBadge } from './LevelBadge';

const checkColumns: TableColumn<FailingCheck>[] = [
  { title: 'Check', field: 'title' },
  {
    title: 'Level',
    field: 'level',
    render: c => `${c.level} · ${levelName(c.level)}`,
  },
  {
    title: 'Failing',
    field: 'failing',
    render: c => `${c.failing} (${Math.round(c.share * 100)}%)`,
  },
  {
    title: 'How to fix',
    render: c => (
      <HowToFix title={c.title} howToFix={c.howToFix} fixUrl={c.fixUrl} />
    ),
  },
];

const entityColumns: TableColumn<{ entityRef: string; level: number }>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: e => <EntityRefLink entityRef={e.entityRef} />,
  },
  {
    title: 'Level',
    field: 'level',
    render: e => <LevelBadge level={e.level} size="small" />,
  },
];

/** The "Scorecard" tab of a group: its entities' levels and what fails most. */
export function TeamScorecardContent() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(scorecardApiRef);
  const { value, loading, error } = useAsync(
    () => api.getTeamScorecard(groupRef),
    [api, groupRef],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.total === 0) {
    return (
      <EmptyState
        missing="data"
        title="No scored entities"
        description="This team owns no components that have been scored yet."
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Level distribution">
          <Typography variant="body2" color="textSecondary">
            {`${value.total} entities`}
          </Typography>
          <LevelDistributionChart levels={value.levels} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <Table
          title="Entities"
          options={{ search: false, paging: value.entities.length > 10 }}
          columns={entityColumns}
          data={[...value.entities].sort((a, b) => a.level - b.level)}
        />
      </Grid>
      <Grid item xs={12}>
        <Table
          title="Failing checks"
          options={{ search: false, paging: false }}
          columns={checkColumns}
          data={value.failingChecks}
          emptyContent={
            <Typography style={{ padding: 16 }}>No failing checks.</Typography>
          }
        />
      </Grid>
    </Grid>
  );
}
