import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  NumberField,
  Text,
} from '@backstage/ui';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { ErrorAlert } from '../ErrorAlert';

/** How long an extension is unless the type allows less. */
const DEFAULT_HOURS = 24;

/**
 * Asks for how many hours from now an expiring resource should live, at most its
 * type's limit (when the types are not known the server checks it).
 */
export function ExtendDialog(props: {
  request: ProvisioningRequest;
  maxHours?: number;
  onClose(): void;
  onExtend(hours: number): Promise<void>;
}) {
  const { request, maxHours, onClose, onExtend } = props;
  const [hours, setHours] = useState(
    maxHours ? Math.min(DEFAULT_HOURS, maxHours) : DEFAULT_HOURS,
  );
  const [error, setError] = useState<Error>();
  const [pending, setPending] = useState(false);
  const valid =
    Number.isInteger(hours) && hours >= 1 && (!maxHours || hours <= maxHours);

  const extend = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onExtend(hours);
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
      <DialogHeader>Extend {request.name}</DialogHeader>
      <DialogBody>
        <Text as="p">
          The {request.type} &apos;{request.name}&apos; is deleted when it
          expires. Keep it for some hours from now
          {maxHours ? ` (at most ${maxHours})` : ''}.
        </Text>
        <NumberField
          label="Hours from now"
          value={hours}
          onChange={setHours}
          minValue={1}
          maxValue={maxHours}
          step={1}
        />
        {error && (
          <ErrorAlert
            error={error}
            title={`Could not extend ${request.name}`}
            forbidden={{ owner: request.owner, what: 'extend this resource' }}
          />
        )}
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          isDisabled={!valid}
          isPending={pending}
          onPress={extend}
        >
          Extend
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
