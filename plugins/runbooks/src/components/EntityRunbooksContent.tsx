import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { runbooksApiRef } from '../api';
import { OpenIncidentBanner } from './OpenIncidentBanner';
import { PastRunsTable } from './PastRunsTable';
import { RunbooksTable } from './RunbooksTable';

/** The "Runbooks" tab of a component: what can be run on it, and what was. */
export function EntityRunbooksContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(runbooksApiRef);
  const state = useAsync(async () => {
    const [runbooks, runs, incidents] = await Promise.all([
      api.listRunbooks(entityRef),
      api.listRuns(entityRef),
      api.listOpenIncidents(entityRef),
    ]);
    return { runbooks, runs, incidents };
  }, [api, entityRef]);

  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { runbooks, runs, incidents } = state.value!;
  const titles = new Map(runbooks.map(r => [r.templateRef, r.title]));

  return (
    <Grid container spacing={3}>
      {incidents.length > 0 && (
        <Grid item xs={12}>
          <OpenIncidentBanner incidents={incidents} />
        </Grid>
      )}
      <Grid item xs={12}>
        {runbooks.length === 0 ? (
          <EmptyState
            missing="content"
            title="No runbooks apply to this component"
            description="Runbooks are scaffolder templates of spec.type runbook. Add one to the catalog (see the portal's docs on runbooks) and it is offered here, prefilled with this component."
          />
        ) : (
          <RunbooksTable runbooks={runbooks} emptyContent={null} />
        )}
      </Grid>
      <Grid item xs={12}>
        <PastRunsTable runs={runs} titles={titles} />
      </Grid>
    </Grid>
  );
}
