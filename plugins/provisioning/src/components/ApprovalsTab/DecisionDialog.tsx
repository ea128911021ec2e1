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
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { ErrorAlert } from '../ErrorAlert';

/** Approve or reject a request, with a comment (which a rejection needs). */
export function DecisionDialog(props: {
  request: ProvisioningRequest;
  decision: 'approve' | 'reject';
  onClose(): void;
  onDecide(comment: string): Promise<void>;
}) {
  const { request, decision, onClose, onDecide } = props;
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
        {verb} {request.type} &lsquo;{request.name}&rsquo;?
      </DialogHeader>
      <DialogBody>
        <Text as="p">
          Requested by <ActorName actor={request.createdBy} /> for{' '}
          <EntityRefLink entityRef={request.owner} hideIcon />.{' '}
          {request.approval?.reason}.
        </Text>
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
            title={`Could not ${decision} the request`}
            forbidden={{
              owner: request.approval?.group ?? 'the approving group',
              what: `${decision} this request (and never their own)`,
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
