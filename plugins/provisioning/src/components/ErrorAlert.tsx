import { Alert } from '@backstage/ui';
import { forbiddenHint, messageOf, statusOf } from '../lib/errors';

/**
 * An error of a call the user made, with the server's message (which names the
 * field or the rule) and, for a 403, who may do it instead.
 */
export function ErrorAlert(props: {
  error: Error;
  title: string;
  /** The owning group and what was tried, to explain a 403. */
  forbidden?: { owner: string; what: string };
}) {
  const { error, title, forbidden } = props;
  const message = messageOf(error);
  const description =
    statusOf(error) === 403 && forbidden
      ? `${forbiddenHint(forbidden.owner, forbidden.what)} (${message})`
      : message;
  return <Alert status="danger" icon title={title} description={description} />;
}
