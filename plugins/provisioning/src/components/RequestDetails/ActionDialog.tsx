import { JsonObject } from '@backstage/types';
import { Button, Flex } from '@backstage/ui';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { ResourceTypeActionInfo } from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import { fieldErrors } from '../../lib/errors';
import { ErrorAlert } from '../ErrorAlert';
import { JsonSchemaForm, toErrorSchema } from '../JsonSchemaForm';

const EMPTY_SCHEMA = { type: 'object', properties: {} };

const newKey = () =>
  globalThis.crypto?.randomUUID?.() ??
  `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/**
 * A day-2 action's form, generated from its JSON Schema. A Material UI dialog
 * rather than a BUI one: the rjsf widgets open Material UI popovers, which a React
 * Aria modal would make inert.
 */
export function ActionDialog(props: {
  action: ResourceTypeActionInfo;
  owner: string;
  onClose(): void;
  onRun(input: JsonObject, idempotencyKey: string): Promise<void>;
}) {
  const { action, owner, onClose, onRun } = props;
  const [input, setInput] = useState<JsonObject>({});
  const [error, setError] = useState<Error>();
  const [pending, setPending] = useState(false);
  // One key per dialog: resubmitting after a lost response queues nothing twice.
  const [idempotencyKey] = useState(newKey);

  const run = async (formData: JsonObject) => {
    setPending(true);
    setError(undefined);
    try {
      await onRun(formData, idempotencyKey);
    } catch (e) {
      setError(e as Error);
      setPending(false);
    }
  };

  // Named by its title, so that assistive technology (and tests) can tell it apart.
  const titleId = `provisioning-action-${action.id}-title`;
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>{action.title}</DialogTitle>
      <DialogContent>
        {action.description && <p>{action.description}</p>}
        <JsonSchemaForm
          id={`provisioning-action-${action.id}`}
          schema={action.parameters ?? EMPTY_SCHEMA}
          formData={input}
          onChange={setInput}
          onSubmit={run}
          extraErrors={
            error ? toErrorSchema(fieldErrors(error), 'input') : undefined
          }
          disabled={pending}
        >
          {error && (
            <ErrorAlert
              error={error}
              title={`${action.title} was refused`}
              forbidden={{ owner, what: 'change this resource' }}
            />
          )}
          <Flex justify="end" gap="2" my="4">
            <Button variant="secondary" onPress={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" isPending={pending}>
              {action.title}
            </Button>
          </Flex>
        </JsonSchemaForm>
      </DialogContent>
    </Dialog>
  );
}
