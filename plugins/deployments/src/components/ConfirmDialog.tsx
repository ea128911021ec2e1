import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { ReactNode, useId, useState } from 'react';
import { ErrorMessage } from './ErrorMessage';

/**
 * Asks before a rollback or a promotion changes what runs; keeps the dialog open
 * with the server's message when the call is refused.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onClose(): void;
  onConfirm(): Promise<void>;
}) {
  const { title, confirmLabel, children, onClose, onConfirm } = props;
  const titleId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();

  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(e as Error);
      setPending(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="sm">
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {children}
        {error && <ErrorMessage error={error} title={`${title} was refused`} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={pending}
          onClick={confirm}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
