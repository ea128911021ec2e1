import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { ButtonLink, Container, Flex } from '@backstage/ui';
import useAsync from 'react-use/esm/useAsync';
import { provisioningApiRef } from '../../api';
import { useChildSegment } from '../../hooks/useChildSegment';
import { newRequestRouteRef } from '../../routes';
import { RequestForm } from './RequestForm';
import { TypeCards } from './TypeCards';

/** The "Request" tab: the resource types, and the form of the chosen one. */
export function RequestTab() {
  const api = useApi(provisioningApiRef);
  const typeId = useChildSegment(newRequestRouteRef);
  const typesLink = useRouteRef(newRequestRouteRef);
  const types = useAsync(() => api.listTypes(), [api]);

  if (types.loading) {
    return <Progress />;
  }
  if (types.error) {
    return (
      <Container>
        <ResponseErrorPanel
          title="Could not load the resource types"
          error={types.error}
        />
      </Container>
    );
  }
  const items = types.value ?? [];
  if (items.length === 0) {
    return (
      <Container>
        <EmptyState
          missing="content"
          title="Nothing to request yet"
          description="No resource type is registered. The platform team adds types (a database, a bucket, a namespace) as backend modules of the provisioning plugin; ask them for the one you need."
        />
      </Container>
    );
  }
  if (typeId) {
    const type = items.find(t => t.id === typeId);
    if (!type) {
      return (
        <Container>
          <WarningPanel
            title={`There is no resource type '${typeId}'`}
            message={`Known types: ${items.map(t => t.id).join(', ')}.`}
          />
          {typesLink && (
            <Flex mt="4">
              <ButtonLink href={typesLink()} variant="secondary">
                Choose a resource type
              </ButtonLink>
            </Flex>
          )}
        </Container>
      );
    }
    return (
      <Container>
        <RequestForm key={type.id} type={type} />
      </Container>
    );
  }
  return (
    <Container>
      <TypeCards types={items} />
    </Container>
  );
}
