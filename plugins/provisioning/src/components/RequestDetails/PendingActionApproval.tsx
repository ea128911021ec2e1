import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { Alert, Button, Flex } from '@backstage/ui';
import { ActorName } from '@paved/display-react';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { provisioningApiRef } from '../../api';
import { DecisionDialog } from '../ApprovalsTab/DecisionDialog';

/**
 * A day-2 action of the request that waits for an approval (a deploy to
 * production, say): why, who decides, and the same Approve and Reject as a request
 * pending approval has. Anyone may try; the backend lets only the action's
 * approvers, and never the one who asked for it, decide.
 */
export function PendingActionApproval(props: {
  request: ProvisioningRequest;
  onDecided(request: ProvisioningRequest): void;
}) {
  const { request, onDecided } = props;
  const api = useApi(provisioningApiRef);
  const toastApi = useApi(coreApis.toast);
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  const action = request.activeOperation;
  if (action?.status !== 'pending-approval') {
    return null;
  }

  const decide = async (comment: string) => {
    const updated =
      deciding === 'approve'
        ? await api.approveRequest(request.id, comment || undefined)
        : await api.rejectRequest(request.id, comment);
    toastApi.post({
      title: `${deciding === 'approve' ? 'Approved' : 'Rejected'} '${
        action.action
      }' on ${request.name}`,
      status: 'success',
      timeout: 5000,
    });
    setDeciding(undefined);
    onDecided(updated);
  };

  return (
    <>
      <Alert
        data-testid="pending-action-approval"
        status="info"
        icon
        title={
          <>
            Action &lsquo;{action.action}&rsquo; waits for approval by{' '}
            <ActorName
              actor={action.approval?.group ?? 'the approving group'}
            />
          </>
        }
        description={
          <>
            Asked for by <ActorName actor={action.createdBy} />;{' '}
            {action.approval?.reason}. Nothing runs until a member of that group
            approves it; other actions wait until it is decided.
          </>
        }
        customActions={
          <Flex gap="2">
            <Button
              size="small"
              variant="primary"
              aria-label={`Approve ${action.action}`}
              onPress={() => setDeciding('approve')}
            >
              Approve
            </Button>
            <Button
              size="small"
              variant="secondary"
              destructive
              aria-label={`Reject ${action.action}`}
              onPress={() => setDeciding('reject')}
            >
              Reject
            </Button>
          </Flex>
        }
      />
      {deciding && (
        <DecisionDialog
          key={`${action.id}-${deciding}`}
          request={request}
          action={action}
          decision={deciding}
          onClose={() => setDeciding(undefined)}
          onDecide={decide}
        />
      )}
    </>
  );
}
