import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { ButtonLink, Flex, Switch, Text, useTable } from '@backstage/ui';
import {
  ACTIVE_REQUEST_STATES,
  ProvisioningRequest,
  RequestState,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { provisioningApiRef } from '../../api';
import { useUserGroups } from '../../hooks/useUserGroups';
import { newRequestRouteRef } from '../../routes';
import { RequestsTable } from './RequestsTable';

/** Requests per page of the table. */
export const PAGE_SIZE = 20;

const FINAL_STATES: RequestState[] = ['deleted', 'rejected'];

/** One page at a time of the requests of the owners, as the API pages them. */
function PagedRequests(props: {
  owners: string[];
  showFinal: boolean;
  types: ResourceTypeInfo[];
}) {
  const api = useApi(provisioningApiRef);
  const { owners, showFinal } = props;
  const { tableProps } = useTable<ProvisioningRequest>({
    mode: 'offset',
    getData: async ({ offset, pageSize }) => {
      const page = await api.listRequests({
        owner: owners,
        state: showFinal ? undefined : [...ACTIVE_REQUEST_STATES],
        offset,
        limit: pageSize,
      });
      return { data: page.items, totalCount: page.totalCount };
    },
    paginationOptions: { pageSize: PAGE_SIZE, showPageSizeOptions: false },
  });
  return (
    <RequestsTable
      table={tableProps}
      types={props.types}
      emptyText="Only deleted or rejected requests; switch them on to see them."
    />
  );
}

/** The requests owned by the user's groups, newest first, a page at a time. */
export function MyResources() {
  const api = useApi(provisioningApiRef);
  const userGroups = useUserGroups();
  const newRequestLink = useRouteRef(newRequestRouteRef);
  const [showFinal, setShowFinal] = useState(false);

  const groups = userGroups.value?.groups;
  // How many requests there are at all and how many are over: whether there is
  // anything to page through, and what the switch would show.
  const overview = useAsync(async () => {
    if (!groups) return undefined;
    const count = (owner: string, state?: RequestState[]) =>
      api
        .listRequests({ owner, state, limit: 1 })
        .then(page => page.totalCount);
    const [all, final, types] = await Promise.all([
      Promise.all(groups.map(group => count(group.ref))),
      Promise.all(groups.map(group => count(group.ref, FINAL_STATES))),
      api.listTypes(),
    ]);
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    return { total: sum(all), final: sum(final), types };
  }, [api, groups]);

  const error = userGroups.error ?? overview.error;
  // Until the groups are known the requests are not asked for: no value yet is
  // loading too, not "no resources".
  if (!error && (userGroups.loading || overview.loading || !overview.value)) {
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
  const { total, final, types } = overview.value!;
  if (total === 0) {
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
            label={`Show deleted and rejected${
              !showFinal && final ? ` (${final})` : ''
            }`}
          />
          {requestButton}
        </Flex>
      </Flex>
      <PagedRequests
        // A new table (from the first page) when the filter changes.
        key={String(showFinal)}
        owners={groups.map(g => g.ref)}
        showFinal={showFinal}
        types={types}
      />
    </Flex>
  );
}
