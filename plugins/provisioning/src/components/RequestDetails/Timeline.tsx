import { Flex, Text } from '@backstage/ui';
import { ProvisioningEvent } from '@paved/plugin-provisioning-common';
import { absoluteTime, relativeTime } from '../../lib/time';

/** What happened to a request, oldest first, with who did it. */
export function Timeline(props: { events: ProvisioningEvent[] }) {
  const events = [...props.events].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id,
  );
  if (events.length === 0) {
    return (
      <Text as="p" color="secondary">
        No events yet.
      </Text>
    );
  }
  return (
    <ol
      aria-label="Timeline"
      style={{ margin: 0, paddingLeft: '1.25rem', listStyle: 'decimal' }}
    >
      {events.map(event => (
        <li key={event.id} style={{ marginBottom: '0.5rem' }}>
          <Flex direction="column" gap="0.5">
            <Text
              as="span"
              color={/fail|reject/.test(event.type) ? 'danger' : 'primary'}
            >
              {event.message}
            </Text>
            <Text
              as="span"
              variant="body-small"
              color="secondary"
              title={absoluteTime(event.createdAt)}
            >
              {relativeTime(event.createdAt)}
              {event.actor ? ` \u00b7 ${event.actor}` : ''}
            </Text>
          </Flex>
        </li>
      ))}
    </ol>
  );
}
