import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  absoluteTime,
  ActorName,
  formatDuration,
  TextWithActorNames,
} from '@paved/display-react';
import { IncidentTimelineEvent } from '@paved/plugin-incidents-common';

const LABELS: Record<IncidentTimelineEvent['type'], string> = {
  opened: 'Opened',
  note: 'Note',
  status: 'Status',
  resolved: 'Resolved',
  'runbook-run': 'Runbook',
};

/**
 * What happened during an incident, oldest first; people and teams by their names,
 * also in the messages the backend wrote ("user:default/bob ran the runbook …").
 */
export function Timeline(props: { events: IncidentTimelineEvent[] }) {
  return (
    <ol aria-label="Timeline" style={{ margin: 0, paddingLeft: '1.25rem' }}>
      {props.events.map((event, index) => (
        <li
          key={`${event.at}-${index}`}
          data-event-type={event.type}
          style={{ marginBottom: '0.75rem' }}
        >
          <Typography variant="body2" color="textSecondary">
            {LABELS[event.type]} · {absoluteTime(event.at)}
            {event.actor && event.type === 'note' && (
              <>
                {' · '}
                <ActorName actor={event.actor} />
              </>
            )}
          </Typography>
          <Typography variant="body1" style={{ whiteSpace: 'pre-wrap' }}>
            <TextWithActorNames text={event.message} />
          </Typography>
          {event.runbookRun && (
            <Typography variant="body2">
              {event.runbookRun.templateTitle}: {event.runbookRun.outcome}
              {event.runbookRun.durationMs !== undefined &&
                ` in ${formatDuration(event.runbookRun.durationMs)}`}
              {' · '}
              <Link to={event.runbookRun.link}>Task log</Link>
            </Typography>
          )}
        </li>
      ))}
    </ol>
  );
}
