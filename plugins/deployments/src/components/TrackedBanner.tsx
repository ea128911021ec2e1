import { Link } from '@backstage/core-components';
import LinearProgress from '@material-ui/core/LinearProgress';
import { Alert } from '@material-ui/lab';
import { DeploymentRecord } from '@paved/plugin-deployments-common';
import { useRequestLink } from '../hooks/useRequestLink';
import { deploymentDuration } from '../lib/format';
import { TrackedDeployment } from '../lib/tracking';

/**
 * How the deployment the user just started is going: waiting for approval,
 * rolling out, done, or failed with the pods' reasons.
 */
export function TrackedBanner(props: {
  tracked: TrackedDeployment;
  record?: DeploymentRecord;
  onDismiss(): void;
}) {
  const { tracked, record, onDismiss } = props;
  const requestLink = useRequestLink();
  const request = (
    <Link to={requestLink(tracked.accepted.requestId)}>workload request</Link>
  );

  if (!record && tracked.accepted.state === 'pending-approval') {
    return (
      <Alert
        severity="info"
        onClose={onDismiss}
        data-testid="deployment-progress"
        data-status="pending-approval"
      >
        {`${tracked.title}: waiting for approval (deploying to production needs one). `}
        Follow it on its {request}.
      </Alert>
    );
  }
  if (!record || record.status === 'in-progress') {
    return (
      <Alert
        severity="info"
        data-testid="deployment-progress"
        data-status="in-progress"
      >
        {`${tracked.title}…`} Follow it on its {request}.
        <LinearProgress aria-label={tracked.title} style={{ marginTop: 8 }} />
      </Alert>
    );
  }
  if (record.status === 'succeeded') {
    const took = deploymentDuration(record);
    return (
      <Alert
        severity="success"
        onClose={onDismiss}
        data-testid="deployment-progress"
        data-status="succeeded"
      >
        {`${tracked.title}: done${took ? ` in ${took}` : ''}.`}
      </Alert>
    );
  }
  return (
    <Alert
      severity="error"
      onClose={onDismiss}
      data-testid="deployment-progress"
      data-status="failed"
    >
      {`${tracked.title} failed${record.reason ? `: ${record.reason}` : '.'} `}
      Roll back, or see the {request}.
    </Alert>
  );
}
