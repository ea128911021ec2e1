import { Flex, Text } from '@backstage/ui';
import {
  absoluteTime,
  ActorName,
  relativeTime,
  TextWithActorNames,
} from '@paved/display-react';
import { ProvisioningEvent } from '@paved/plugin-provisioning-common';
import { RiHourglassLine, RiRefreshLine, RiTimerLine } from '@remixicon/react';
import { ReactNode } from 'react';

type EventColor = 'primary' | 'danger' | 'warning';

/** Events that are not the user's doing and need saying what they were. */
const KINDS: Record<
  string,
  { label: string; icon: ReactNode; color: EventColor }
> = {
  'drift-corrected': {
    label: 'Drift corrected',
    icon: <RiRefreshLine size={16} aria-hidden />,
    color: 'warning',
  },
  extended: {
    label: 'Extended',
    icon: <RiHourglassLine size={16} aria-hidden />,
    color: 'primary',
  },
  expired: {
    label: 'Expired',
    icon: <RiTimerLine size={16} aria-hidden />,
    color: 'warning',
  },
};

const colorOf = (event: ProvisioningEvent): EventColor =>
  KINDS[event.type]?.color ??
  (/fail|reject/.test(event.type) ? 'danger' : 'primary');

/**
 * What happened to a request, oldest first, with who did it: people and teams by
 * their names, also in the messages the backend wrote.
 */
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
      {events.map(event => {
        const kind = KINDS[event.type];
        return (
          <li
            key={event.id}
            data-event-type={event.type}
            style={{ marginBottom: '0.5rem' }}
          >
            <Flex direction="column" gap="0.5">
              <Text as="span" color={colorOf(event)}>
                {kind && (
                  <span
                    style={{
                      display: 'inline-flex',
                      alignItems: 'center',
                      gap: '0.25rem',
                      marginRight: '0.25rem',
                      verticalAlign: 'middle',
                    }}
                  >
                    {kind.icon}
                    <Text as="strong" weight="bold" color={kind.color}>
                      {kind.label}:
                    </Text>
                  </span>
                )}
                <TextWithActorNames text={event.message} />
              </Text>
              <Text
                as="span"
                variant="body-small"
                color="secondary"
                title={absoluteTime(event.createdAt)}
              >
                {relativeTime(event.createdAt)}
                {event.actor && (
                  <>
                    {' \u00b7 '}
                    <ActorName actor={event.actor} />
                  </>
                )}
              </Text>
            </Flex>
          </li>
        );
      })}
    </ol>
  );
}
