import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { RequestState } from '@paved/plugin-provisioning-common';
import { ReactNode } from 'react';
import { stateLabel } from '../lib/states';

const STATUS: Record<RequestState, (props: { children: ReactNode }) => any> = {
  'pending-approval': StatusPending,
  provisioning: StatusRunning,
  ready: StatusOK,
  updating: StatusRunning,
  failed: StatusError,
  rejected: StatusAborted,
  deleting: StatusRunning,
  deleted: StatusAborted,
};

/** A request's state as a coloured status with its name. */
export function StateChip(props: { state: RequestState }) {
  const Status = STATUS[props.state] ?? StatusPending;
  return (
    <span data-testid="request-state" data-state={props.state}>
      <Status>{stateLabel(props.state)}</Status>
    </span>
  );
}
