import { Alert, AlertTitle } from '@material-ui/lab';
import { messageOf, statusOf } from '@paved/display-react';

/**
 * A refused call with the server's message (which names the field or the cause);
 * for a 403, who may do it instead.
 */
export function ErrorMessage(props: {
  error: Error;
  title: string;
  /** Who may do it, for a 403. */
  allowed?: string;
}) {
  const {
    error,
    title,
    allowed = "the component's owners and the platform team",
  } = props;
  const message = messageOf(error);
  return (
    <Alert severity="error" data-testid="upgrades-error">
      <AlertTitle>{title}</AlertTitle>
      {statusOf(error) === 403
        ? `Only ${allowed} may do this. (${message})`
        : message}
    </Alert>
  );
}
