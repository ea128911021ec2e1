import {
  StatusError,
  StatusOK,
  StatusRunning,
} from '@backstage/core-components';
import { DeploymentStatus as Status } from '@paved/plugin-deployments-common';

const STATUS = {
  'in-progress': { Icon: StatusRunning, label: 'In progress' },
  succeeded: { Icon: StatusOK, label: 'Succeeded' },
  failed: { Icon: StatusError, label: 'Failed' },
} as const;

/** A deployment's status as a coloured status with its name. */
export function DeploymentStatus(props: { status: Status }) {
  const { Icon, label } = STATUS[props.status] ?? STATUS['in-progress'];
  return (
    <span data-testid="deployment-status" data-status={props.status}>
      <Icon>{label}</Icon>
    </span>
  );
}
