import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  DeploymentRecord,
  ENVIRONMENT_STAGES,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { DeploymentAccepted, deploymentsApiRef, DeployRequest } from '../api';
import { usePolled } from '../hooks/usePolled';
import { anyInProgress, recordOf, TrackedDeployment } from '../lib/tracking';
import { ConfirmDialog } from './ConfirmDialog';
import { DeployDialog } from './DeployDialog';
import { DoraPanel } from './DoraPanel';
import { EnvironmentCard } from './EnvironmentCard';
import { ErrorMessage } from './ErrorMessage';
import { HistoryTable } from './HistoryTable';
import { TrackedBanner } from './TrackedBanner';

const DOCS = '/docs/default/component/paved-portal/deployments/';
/** Where the docs say how a component's first deployment happens. */
const FIRST_DEPLOYMENT_DOCS = `${DOCS}#from-template-to-running-service`;
const GOLDEN_PATHS_DOCS = '/docs/default/component/paved-portal/golden-paths/';
// Past this, a deployment that has not finished is left to its request's page.
const TRACK_AT_MOST_MS = 15 * 60_000;

type OpenDialog =
  | { kind: 'deploy'; environment?: WorkloadEnvironment }
  | { kind: 'rollback'; environment: WorkloadEnvironment }
  | { kind: 'promote'; environment: WorkloadEnvironment };

const byStage = (a: WorkloadEnvironment, b: WorkloadEnvironment) =>
  ENVIRONMENT_STAGES.indexOf(a.stage) - ENVIRONMENT_STAGES.indexOf(b.stage) ||
  a.environment.localeCompare(b.environment);

/** The newest succeeded deployment in `environment` before the one running. */
const previousOf = (
  records: DeploymentRecord[] | undefined,
  environment: WorkloadEnvironment,
) =>
  records?.find(
    r =>
      r.environment === environment.environment &&
      r.status === 'succeeded' &&
      r.id !== environment.current?.id,
  );

/**
 * The "Deployments" tab of a component: what runs in each of its environments
 * (deploy, roll back, promote), its deployment history and its delivery figures.
 */
export function EntityDeploymentsContent(props: { pollIntervalMs?: number }) {
  const { pollIntervalMs = 2000 } = props;
  const { entity } = useEntity();
  const component = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(deploymentsApiRef);
  const [dialog, setDialog] = useState<OpenDialog>();
  const [tracked, setTracked] = useState<TrackedDeployment>();
  // Bumped when a deployment starts or ends: the history and figures are read again.
  const [changes, setChanges] = useState(0);

  const following = (value: WorkloadEnvironment[] | undefined, t = tracked) => {
    if (!t || Date.now() - t.since > TRACK_AT_MOST_MS) return false;
    const record = recordOf(t, value);
    if (record) return record.status === 'in-progress';
    return t.accepted.state !== 'pending-approval';
  };
  const environments = usePolled(
    () => api.listEnvironments(component),
    [api, component],
    value => anyInProgress(value) || following(value),
    pollIntervalMs,
  );
  const history = useAsync(
    () => api.listDeployments({ component, limit: 100 }),
    [api, component, changes],
  );

  const trackedRecord = tracked && recordOf(tracked, environments.value);
  const finished =
    trackedRecord && trackedRecord.status !== 'in-progress'
      ? trackedRecord.id
      : undefined;
  useEffect(() => {
    if (finished) setChanges(c => c + 1);
  }, [finished]);

  const sorted = useMemo(
    () => [...(environments.value ?? [])].sort(byStage),
    [environments.value],
  );

  const follow = (
    title: string,
    environment: string,
    accepted: DeploymentAccepted,
  ) => {
    setTracked({ title, environment, accepted, since: Date.now() });
    setDialog(undefined);
    setChanges(c => c + 1);
    environments.retry();
  };

  const deploy = async (request: DeployRequest) => {
    const accepted = await api.deploy(request);
    follow(
      `Deploying ${request.image} to ${request.environment}`,
      request.environment,
      accepted,
    );
  };
  const rollback = async (environment: WorkloadEnvironment) => {
    const accepted = await api.rollback({
      component,
      environment: environment.environment,
    });
    follow(
      `Rolling back ${environment.environment}`,
      environment.environment,
      accepted,
    );
  };
  const promote = async (environment: WorkloadEnvironment) => {
    const to = environment.next!;
    const accepted = await api.promote({
      component,
      from: environment.environment,
      to,
    });
    follow(
      `Promoting ${environment.current?.image ?? 'the current version'} from ${
        environment.environment
      } to ${to}`,
      to,
      accepted,
    );
  };

  if (environments.loading && !environments.value) return <Progress />;

  const deployButton = (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setDialog({ kind: 'deploy' })}
    >
      Deploy
    </Button>
  );
  const nothingYet =
    sorted.length === 0 && !environments.error && !history.value?.length;

  return (
    <Grid container spacing={3} data-testid="deployments-tab">
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" mb={1}>
          <Typography variant="h5" component="h2" style={{ flexGrow: 1 }}>
            What runs where
          </Typography>
          {!nothingYet && deployButton}
        </Box>
        {tracked && (
          <Box mb={2}>
            <TrackedBanner
              tracked={tracked}
              record={trackedRecord}
              onDismiss={() => setTracked(undefined)}
            />
          </Box>
        )}
        {environments.error && (
          <ErrorMessage
            error={environments.error}
            title="Could not read the component's environments"
          />
        )}
        {nothingYet ? (
          <div data-testid="deployments-empty">
            <EmptyState
              missing="content"
              title="No deployments yet"
              description={
                <>
                  The first deployment sends the component's Score workload (its{' '}
                  <code>score.yaml</code>), so it comes from the component's CI,
                  with <code>POST /api/provisioning/deployments</code>, or from
                  a <a href={GOLDEN_PATHS_DOCS}>golden path</a> that deploys the
                  new component to a development environment (see{' '}
                  <a href={FIRST_DEPLOYMENT_DOCS}>the docs</a>). Later versions
                  reuse that workload and can be deployed here with the Deploy
                  button.
                </>
              }
              action={
                <Button
                  variant="outlined"
                  color="primary"
                  href={FIRST_DEPLOYMENT_DOCS}
                >
                  How to deploy
                </Button>
              }
            />
          </div>
        ) : (
          <Grid container spacing={2}>
            {sorted.map(environment => (
              <Grid item xs={12} md={6} lg={4} key={environment.environment}>
                <EnvironmentCard
                  environment={environment}
                  onDeploy={() => setDialog({ kind: 'deploy', environment })}
                  onRollback={() =>
                    setDialog({ kind: 'rollback', environment })
                  }
                  onPromote={() => setDialog({ kind: 'promote', environment })}
                />
              </Grid>
            ))}
          </Grid>
        )}
      </Grid>
      {!nothingYet && (
        <Grid item xs={12}>
          {history.error ? (
            <ErrorMessage
              error={history.error}
              title="Could not read the deployment history"
            />
          ) : (
            <HistoryTable records={history.value ?? []} />
          )}
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="Delivery">
          <DoraPanel
            query={{ component }}
            reload={changes}
            emptyMessage="No production deployments in the last 12 weeks. Promote a version to a production environment and its deployment frequency, lead time, change failure rate and time to restore appear here."
          />
        </InfoCard>
      </Grid>

      {dialog?.kind === 'deploy' && (
        <DeployDialog
          component={component}
          environments={sorted}
          initialEnvironment={dialog.environment?.environment}
          initialImage={dialog.environment?.current?.image}
          onClose={() => setDialog(undefined)}
          onDeploy={deploy}
        />
      )}
      {dialog?.kind === 'rollback' && (
        <ConfirmDialog
          title={`Roll back ${dialog.environment.environment}?`}
          confirmLabel="Roll back"
          onClose={() => setDialog(undefined)}
          onConfirm={() => rollback(dialog.environment)}
        >
          <RollbackTarget
            previous={previousOf(history.value, dialog.environment)}
          />
        </ConfirmDialog>
      )}
      {dialog?.kind === 'promote' && (
        <ConfirmDialog
          title={`Promote to ${dialog.environment.next}?`}
          confirmLabel={`Promote to ${dialog.environment.next}`}
          onClose={() => setDialog(undefined)}
          onConfirm={() => promote(dialog.environment)}
        >
          <Typography>
            {`Deploys ${
              dialog.environment.current?.image ?? 'what runs'
            } from ${dialog.environment.environment} to ${
              dialog.environment.next
            }, with ${
              dialog.environment.next
            }'s own resources. A production environment may need an approval first.`}
          </Typography>
        </ConfirmDialog>
      )}
    </Grid>
  );
}

function RollbackTarget(props: { previous?: DeploymentRecord }) {
  const { previous } = props;
  return (
    <Typography>
      {previous
        ? `Puts back ${previous.image}${
            previous.gitRef ? ` (${previous.gitRef})` : ''
          }, the previous deployment that succeeded here.`
        : 'Puts back the previous deployment that succeeded here.'}
    </Typography>
  );
}
