import { useAppLocation, useRouteRef } from '@backstage/frontend-plugin-api';
import { Container } from '@backstage/ui';
import { rootRouteRef } from '../routes';
import { IncidentPage } from './IncidentPage';
import { OpenIncidents } from './OpenIncidents';

/** The segment below `/incidents`, i.e. the id in `/incidents/:id`. */
function useIncidentId(): string | undefined {
  const root = useRouteRef(rootRouteRef)?.();
  const { pathname } = useAppLocation();
  if (!root) return undefined;
  const prefix = `${root.replace(/\/$/, '')}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const segment = pathname.slice(prefix.length).split('/')[0];
  return segment ? decodeURIComponent(segment) : undefined;
}

/** `/incidents`: the open incidents; `/incidents/:id`: one of them. */
export function IncidentsPage() {
  const id = useIncidentId();
  return (
    <Container>
      {id ? <IncidentPage key={id} id={id} /> : <OpenIncidents />}
    </Container>
  );
}
