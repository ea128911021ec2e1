import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { ActorName } from '@paved/display-react';
import {
  DeploymentRecord,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';
import { useRequestLink } from '../hooks/useRequestLink';
import { DeploymentStatus } from './DeploymentStatus';
import { StageChip } from './StageChip';
import { When } from './When';

function Version(props: { record: DeploymentRecord }) {
  const { record } = props;
  return (
    <>
      <Typography
        variant="body1"
        style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        data-testid="environment-image"
      >
        {record.image}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {record.gitRef && (
          <>
            <span data-testid="environment-git-ref">{record.gitRef}</span>
            {' · '}
          </>
        )}
        <When iso={record.finishedAt ?? record.startedAt} /> by{' '}
        <ActorName actor={record.createdBy} />
      </Typography>
    </>
  );
}

/** The newest deployment when it is not the one running: rolling out, or failed. */
function Latest(props: { record: DeploymentRecord }) {
  const { record } = props;
  if (record.status === 'in-progress') {
    return (
      <Box mt={2} data-testid="environment-latest" data-status="in-progress">
        <Typography variant="body2">
          Rolling out <code>{record.image}</code> (started{' '}
          <When iso={record.startedAt} /> by{' '}
          <ActorName actor={record.createdBy} />)
        </Typography>
        <LinearProgress aria-label={`Rolling out ${record.image}`} />
      </Box>
    );
  }
  if (record.status === 'failed') {
    return (
      <Box mt={2} data-testid="environment-latest" data-status="failed">
        <Alert severity="error">
          {`${record.kind === 'rollback' ? 'Rollback' : 'Deployment'} of ${
            record.image
          } failed`}
          {record.reason ? `: ${record.reason}` : '.'}
        </Alert>
      </Box>
    );
  }
  return null;
}

/** One environment of the component: what runs there and what can be done. */
export function EnvironmentCard(props: {
  environment: WorkloadEnvironment;
  onDeploy(): void;
  onRollback(): void;
  onPromote(): void;
}) {
  const { environment: env, onDeploy, onRollback, onPromote } = props;
  const requestLink = useRequestLink();
  return (
    <Card
      component="section"
      aria-label={`Environment ${env.environment}`}
      data-testid="environment-card"
      data-environment={env.environment}
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
    >
      <CardContent style={{ flexGrow: 1 }}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
          <Typography variant="h6" component="h3" style={{ flexGrow: 1 }}>
            {env.environment}
          </Typography>
          <StageChip stage={env.stage} />
        </Box>
        {env.current ? (
          <Version record={env.current} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Nothing runs here yet.
          </Typography>
        )}
        {env.latest && <Latest record={env.latest} />}
        <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
          {env.state && (
            <Typography
              variant="caption"
              color="textSecondary"
              data-testid="environment-state"
            >
              {`Workload ${env.state}`}
            </Typography>
          )}
          {env.current && !env.latest && (
            <DeploymentStatus status={env.current.status} />
          )}
          {env.requestId && (
            <Link
              to={requestLink(env.requestId)}
              data-testid="environment-request-link"
            >
              Workload request
            </Link>
          )}
        </Box>
      </CardContent>
      <CardActions>
        <Button
          size="small"
          color="primary"
          onClick={onDeploy}
          aria-label={`Deploy to ${env.environment}`}
        >
          Deploy
        </Button>
        <Button
          size="small"
          onClick={onRollback}
          disabled={!env.current}
          aria-label={`Roll back ${env.environment}`}
        >
          Roll back
        </Button>
        {env.next && (
          <Button size="small" onClick={onPromote} disabled={!env.current}>
            {`Promote to ${env.next}`}
          </Button>
        )}
      </CardActions>
    </Card>
  );
}
