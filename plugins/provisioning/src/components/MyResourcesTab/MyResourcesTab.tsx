import { Container } from '@backstage/ui';
import { useChildSegment } from '../../hooks/useChildSegment';
import { requestsRouteRef } from '../../routes';
import { RequestDetails } from '../RequestDetails';
import { MyResources } from './MyResources';

/**
 * The "My resources" tab: the requests of the user's groups, or one of them when
 * its id is in the path (`/self-service/requests/:id`).
 */
export function MyResourcesTab() {
  const id = useChildSegment(requestsRouteRef);
  return (
    <Container>
      {id ? <RequestDetails key={id} id={id} /> : <MyResources />}
    </Container>
  );
}
