import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Text,
  TextAreaField,
} from '@backstage/ui';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ActorName } from '@paved/display-react';
import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { ErrorAlert } from '../ErrorAlert';

/**
 * Approve or reject a request, or the day-2 action of it that waits for an approval
 * (`action`), with a comment (which a rejection needs).
 */
export function DecisionDialog(props: {
  request: ProvisioningRequest;
  decision: 'approve' | 'reject';
  action?: ProvisioningOperation;
  onClose(): void;
  onDecide(comment: string): Promise<void>;
}) {
  const { request, decision, action, onClose, onDecide } = props;
  const approval = action ? action.approval : request.approval;
  const what = action
    ? `action \u2018${action.action}\u2019 on ${request.type} \u2018${request.name}\u2019`
    : `${request.type} \u2018${request.name}\u2019`;
  const [comment, setComment] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const rejecting = decision === 'reject';
  const verb = rejecting ? 'Reject' : 'Approve';

  const decide = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onDecide(comment.trim());
    } catch (e) {
      setError(e as Error);
      setPending(false);
    }
  };

  return (
    <Dialog
      isOpen
      onOpenChange={isOpen => {
        if (!isOpen) onClose();
      }}
    >
      <DialogHeader>
        {verb} {what}?
      </DialogHeader>
      <DialogBody>
        <Text as="p">
          {action ? 'Asked for' : 'Requested'} by{' '}
          <ActorName actor={action?.createdBy ?? request.createdBy} /> for{' '}
          <EntityRefLink entityRef={request.owner} hideIcon />.{' '}
          {approval?.reason}.
        </Text>
        {action && (
          <pre style={{ margin: 0 }} aria-label="Action input">
            {JSON.stringify(action.input, null, 2)}
          </pre>
        )}
        <TextAreaField
          label="Comment"
          description={
            rejecting
              ? 'Required: tell the requester why, and what would be accepted.'
              : 'Optional; shown in the request\u2019s timeline.'
          }
          isRequired={rejecting}
          value={comment}
          onChange={setComment}
        />
        {error && (
          <ErrorAlert
            error={error}
            title={`Could not ${decision} the ${action ? 'action' : 'request'}`}
            forbidden={{
              owner: approval?.group ?? 'the approving group',
              what: `${decision} this ${
                action ? 'action' : 'request'
              } (and never their own)`,
            }}
          />
        )}
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          destructive={rejecting}
          isDisabled={rejecting && !comment.trim()}
          isPending={pending}
          onPress={decide}
        >
          {verb}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
