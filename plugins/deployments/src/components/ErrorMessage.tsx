import { Alert, AlertTitle } from '@material-ui/lab';
import { messageOf, statusOf } from '@paved/display-react';

/**
 * A refused call with the server's message (which names the field or the rule);
 * for a 403, who may do it instead.
 */
export function ErrorMessage(props: { error: Error; title: string }) {
  const { error, title } = props;
  const message = messageOf(error);
  return (
    <Alert severity="error" data-testid="deployments-error">
      <AlertTitle>{title}</AlertTitle>
      {statusOf(error) === 403
        ? `Only the component's owners and the platform team may do this here. (${message})`
        : message}
    </Alert>
  );
}
