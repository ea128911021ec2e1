import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { ButtonLink, Flex, Switch, Text } from '@backstage/ui';
import { isFinal } from '../../lib/states';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { provisioningApiRef } from '../../api';
import { useUserGroups } from '../../hooks/useUserGroups';
import { newRequestRouteRef } from '../../routes';
import { RequestsTable } from './RequestsTable';

/** The requests owned by the user's groups, newest change first. */
export function MyResources() {
  const api = useApi(provisioningApiRef);
  const userGroups = useUserGroups();
  const newRequestLink = useRouteRef(newRequestRouteRef);
  const [showFinal, setShowFinal] = useState(false);

  const groups = userGroups.value?.groups;
  const requests = useAsync(async () => {
    if (!groups) return undefined;
    const [pages, types] = await Promise.all([
      Promise.all(
        groups.map(group => api.listRequests({ owner: group.ref, limit: 500 })),
      ),
      api.listTypes(),
    ]);
    const items = pages
      .flatMap(page => page.items)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return { items, types };
  }, [api, groups]);

  const error = userGroups.error ?? requests.error;
  // Until the groups are known the requests are not asked for: no value yet is
  // loading too, not "no resources".
  if (!error && (userGroups.loading || requests.loading || !requests.value)) {
    return <Progress />;
  }
  if (error) {
    return (
      <ResponseErrorPanel title="Could not load your resources" error={error} />
    );
  }
  if (!groups?.length) {
    return (
      <WarningPanel
        title="You are in no team"
        message="Resources belong to groups, and the catalog lists you in none. Ask your team lead to add you to your team's group, then sign in again."
      />
    );
  }

  const requestButton = newRequestLink && (
    <ButtonLink href={newRequestLink()} variant="primary">
      Request a resource
    </ButtonLink>
  );
  const all = requests.value?.items ?? [];
  if (all.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="Your teams have no resources yet"
        description={`Nothing was requested for ${groups
          .map(g => g.title)
          .join(
            ', ',
          )}. Choose a resource type on the Request tab; its progress shows here.`}
        action={requestButton || undefined}
      />
    );
  }
  const items = showFinal ? all : all.filter(r => !isFinal(r.state));
  const hidden = all.length - items.length;

  return (
    <Flex direction="column" gap="4">
      <Flex justify="between" align="center">
        <Text as="p" color="secondary">
          Resources of {groups.map(g => g.title).join(', ')}
        </Text>
        <Flex align="center" gap="4">
          <Switch
            isSelected={showFinal}
            onChange={setShowFinal}
            label={`Show deleted and rejected${hidden ? ` (${hidden})` : ''}`}
          />
          {requestButton}
        </Flex>
      </Flex>
      <RequestsTable
        requests={items}
        types={requests.value?.types ?? []}
        emptyText="Only deleted or rejected requests; switch them on to see them."
      />
    </Flex>
  );
}
