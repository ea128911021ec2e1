import { Alert, Flex, Text } from '@backstage/ui';
import LinearProgress from '@material-ui/core/LinearProgress';
import { absoluteTime, ActorName, relativeTime } from '@paved/display-react';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';

const WORK: Record<string, string> = {
  provisioning: 'Provisioning',
  updating: 'Running a day-2 action',
  deleting: 'Deleting',
};

/** Where a request is: what the worker is doing, or what it waits for. */
export function RequestProgress(props: { request: ProvisioningRequest }) {
  const { request } = props;
  const operation = request.activeOperation;

  switch (request.state) {
    case 'pending-approval':
      return (
        <Alert
          status="info"
          icon
          title={
            <>
              Waiting for approval by{' '}
              <ActorName
                actor={request.approval?.group ?? 'the approving group'}
              />
            </>
          }
          description={`${request.approval?.reason}. Nothing is provisioned until a member of that group approves; you can withdraw the request by deleting it.`}
        />
      );
    case 'provisioning':
    case 'updating':
    case 'deleting': {
      const step = operation?.step ? ` \u2014 step '${operation.step}'` : '';
      const attempt =
        operation && operation.attempts > 1
          ? `, attempt ${operation.attempts}`
          : '';
      return (
        <Flex direction="column" gap="2" data-testid="request-progress">
          <Text as="p" weight="bold">
            {WORK[request.state]}
            {operation?.action ? ` '${operation.action}'` : ''}
            {step}
            {attempt}
            {operation?.status === 'queued' ? ' (queued)' : ''}
          </Text>
          <LinearProgress aria-label="Work in progress" />
          {operation?.lastError && (
            <Alert
              status="warning"
              icon
              title="The last attempt failed; the worker retries it"
              description={`${operation.lastError}${
                operation.nextAttemptAt
                  ? ` \u2014 next attempt ${relativeTime(
                      operation.nextAttemptAt,
                    )} (${absoluteTime(operation.nextAttemptAt)})`
                  : ''
              }`}
            />
          )}
        </Flex>
      );
    }
    case 'failed':
      return (
        <Alert
          status="danger"
          icon
          title="Provisioning failed"
          description={`${
            request.lastError ?? 'The worker gave up.'
          } Delete the request to clean up what was made, then request it again.`}
        />
      );
    case 'rejected':
      return (
        <Alert
          status="warning"
          icon
          title={
            <>
              Rejected by{' '}
              <ActorName actor={request.approval?.decidedBy ?? 'an approver'} />
            </>
          }
          description={
            request.approval?.comment ??
            'No comment. The name is free again if you want to request it differently.'
          }
        />
      );
    case 'deleted':
      return (
        <Alert
          status="info"
          icon
          title="Deleted"
          description={`Destroyed ${relativeTime(
            request.updatedAt,
          )}. The name is free again.`}
        />
      );
    default:
      return null;
  }
}
