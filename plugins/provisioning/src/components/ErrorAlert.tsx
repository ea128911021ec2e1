import { Alert } from '@backstage/ui';
import { ActorName, messageOf, statusOf } from '@paved/display-react';

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
  // What a 403 means here, in words a member of another team understands.
  const description =
    statusOf(error) === 403 && forbidden ? (
      <>
        Only members of <ActorName actor={forbidden.owner} /> (or platform
        admins) can {forbidden.what}. Ask someone in that team, or request your
        own resource. ({message})
      </>
    ) : (
      message
    );
  return <Alert status="danger" icon title={title} description={description} />;
}
