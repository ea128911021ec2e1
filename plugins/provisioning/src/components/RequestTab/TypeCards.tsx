import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Grid,
  Text,
} from '@backstage/ui';
import { ResourceTypeInfo } from '@paved/plugin-provisioning-common';
import { newRequestOfTypeRouteRef } from '../../routes';

/** A card per resource type; each opens the type's request form. */
export function TypeCards(props: { types: ResourceTypeInfo[] }) {
  const formLink = useRouteRef(newRequestOfTypeRouteRef);
  return (
    <Grid.Root columns={{ initial: '1', sm: '2', lg: '3' }} gap="4">
      {props.types.map(type => (
        <Card
          key={type.id}
          href={formLink?.({ type: type.id }) ?? ''}
          label={`Request ${type.title}`}
        >
          <CardHeader>
            <Text as="h3" variant="title-small" weight="bold">
              {type.title}
            </Text>
          </CardHeader>
          <CardBody>
            <Text as="p">{type.description}</Text>
          </CardBody>
          <CardFooter>
            <Text variant="body-small" color="secondary">
              {type.actions.length
                ? `Later: ${type.actions.map(a => a.title).join(', ')}`
                : type.id}
            </Text>
          </CardFooter>
        </Card>
      ))}
    </Grid.Root>
  );
}
