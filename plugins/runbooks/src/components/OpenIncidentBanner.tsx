import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import Alert from '@material-ui/lab/Alert';
import { Incident } from '@paved/plugin-incidents-common';
import { relativeTime } from '@paved/display-react';
import { incidentRouteRef } from '../routes';

/** The entity's open incidents, so the on-call sees what the run is for. */
export function OpenIncidentBanner(props: { incidents: Incident[] }) {
  const incidentLink = useRouteRef(incidentRouteRef);
  return (
    <>
      {props.incidents.map(incident => {
        const to = incidentLink
          ? incidentLink({ id: incident.id })
          : `/incidents/${encodeURIComponent(incident.id)}`;
        return (
          <Alert
            key={incident.id}
            severity="error"
            style={{ marginBottom: 16 }}
            action={<Link to={to}>Open the incident</Link>}
          >
            Open {incident.severity.toUpperCase()} incident: {incident.summary}{' '}
            ({incident.status}, opened {relativeTime(incident.openedAt)}). Add
            what you run to its timeline.
          </Alert>
        );
      })}
    </>
  );
}
