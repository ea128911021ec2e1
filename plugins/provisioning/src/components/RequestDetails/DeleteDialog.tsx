import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Text,
  TextField,
} from '@backstage/ui';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { useState } from 'react';

/**
 * Asks the user to type the request's name before its resource is destroyed, so
 * that a stray click cannot delete a database.
 */
export function DeleteDialog(props: {
  request: ProvisioningRequest;
  open: boolean;
  onClose(): void;
  onConfirm(): Promise<void>;
}) {
  const { request, open, onClose, onConfirm } = props;
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const withdrawing = request.state === 'pending-approval';

  const confirm = async () => {
    setPending(true);
    try {
      await onConfirm();
    } finally {
      setPending(false);
      setTyped('');
    }
  };

  return (
    <Dialog
      isOpen={open}
      onOpenChange={isOpen => {
        if (!isOpen) {
          setTyped('');
          onClose();
        }
      }}
    >
      <DialogHeader>
        {withdrawing ? 'Withdraw' : 'Delete'} {request.name}?
      </DialogHeader>
      <DialogBody>
        <Text as="p">
          {withdrawing ? (
            'The request is withdrawn; nothing was provisioned yet.'
          ) : (
            <>
              This destroys the {request.type} &lsquo;{request.name}&rsquo; of{' '}
              <EntityRefLink entityRef={request.owner} hideIcon /> and its data.
              It cannot be undone.
            </>
          )}
        </Text>
        <TextField
          label={`Type ${request.name} to confirm`}
          value={typed}
          onChange={setTyped}
        />
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          destructive
          isDisabled={typed !== request.name}
          isPending={pending}
          onPress={confirm}
        >
          {withdrawing ? 'Withdraw' : 'Delete'} {request.name}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
