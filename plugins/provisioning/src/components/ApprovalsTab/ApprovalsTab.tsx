import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { coreApis, useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  Cell,
  CellText,
  ColumnConfig,
  Container,
  Flex,
  Table,
  Text,
} from '@backstage/ui';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { absoluteTime, ActorName, relativeTime } from '@paved/display-react';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisioningApiRef } from '../../api';
import { useUserGroups } from '../../hooks/useUserGroups';
import { requestRouteRef } from '../../routes';
import { DecisionDialog } from './DecisionDialog';

type Decision = {
  request: ProvisioningRequest;
  decision: 'approve' | 'reject';
};

/**
 * The "Approvals" tab: requests pending approval by one of the user's groups, except
 * the user's own (nobody decides on their own request).
 */
export function ApprovalsTab() {
  const api = useApi(provisioningApiRef);
  const toastApi = useApi(coreApis.toast);
  const requestLink = useRouteRef(requestRouteRef);
  const userGroups = useUserGroups();
  const [deciding, setDeciding] = useState<Decision>();

  const user = userGroups.value;
  const pending = useAsyncRetry(async () => {
    if (!user) return undefined;
    const pages = await Promise.all(
      user.groups.map(group =>
        api.listRequests({
          state: ['pending-approval'],
          approvalGroup: group.ref,
          limit: 500,
        }),
      ),
    );
    const byId = new Map(
      pages.flatMap(page => page.items).map(request => [request.id, request]),
    );
    return [...byId.values()]
      .filter(request => request.createdBy !== user.userEntityRef)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }, [api, user]);

  const decide = async (comment: string) => {
    const { request, decision } = deciding!;
    if (decision === 'approve') {
      await api.approveRequest(request.id, comment || undefined);
    } else {
      await api.rejectRequest(request.id, comment);
    }
    toastApi.post({
      title: `${decision === 'approve' ? 'Approved' : 'Rejected'} ${
        request.name
      }`,
      status: 'success',
      timeout: 5000,
    });
    setDeciding(undefined);
    pending.retry();
  };

  let content;
  const error = userGroups.error ?? pending.error;
  // Reloads after a decision keep the table; a first load (which waits for the
  // groups) shows progress rather than an empty state.
  if (!error && !pending.value) {
    content = <Progress />;
  } else if (error) {
    content = (
      <ResponseErrorPanel
        title="Could not load the requests waiting for you"
        error={error}
      />
    );
  } else if (!pending.value?.length) {
    content = (
      <EmptyState
        missing="content"
        title="Nothing waits for your approval"
        description={
          user?.groups.length
            ? `Requests that a policy routes to ${user.groups
                .map(g => g.title)
                .join(
                  ', ',
                )} show here. Your own requests never do: another member decides on them.`
            : 'Approvals are routed to groups, and the catalog lists you in none.'
        }
      />
    );
  } else {
    const columns: ColumnConfig<ProvisioningRequest>[] = [
      {
        id: 'name',
        label: 'Request',
        isRowHeader: true,
        cell: r => (
          <CellText
            title={`${r.type} ${r.name}`}
            href={requestLink?.({ id: r.id })}
          />
        ),
      },
      {
        id: 'owner',
        label: 'For',
        cell: r => (
          <Cell>
            <EntityRefLink entityRef={r.owner} hideIcon />
          </Cell>
        ),
      },
      {
        id: 'reason',
        label: 'Why it needs approval',
        cell: r => <CellText title={r.approval?.reason ?? ''} />,
      },
      {
        id: 'requester',
        label: 'Requested by',
        cell: r => (
          <Cell>
            <Flex direction="column" gap="1">
              <Text as="p">
                <ActorName actor={r.createdBy} />
              </Text>
              <Text as="p" color="secondary">
                {relativeTime(r.createdAt)} ({absoluteTime(r.createdAt)})
              </Text>
            </Flex>
          </Cell>
        ),
      },
      {
        id: 'decide',
        label: 'Decision',
        cell: r => (
          <Cell>
            <Flex gap="2">
              <Button
                size="small"
                variant="primary"
                aria-label={`Approve ${r.name}`}
                onPress={() => setDeciding({ request: r, decision: 'approve' })}
              >
                Approve
              </Button>
              <Button
                size="small"
                variant="secondary"
                destructive
                aria-label={`Reject ${r.name}`}
                onPress={() => setDeciding({ request: r, decision: 'reject' })}
              >
                Reject
              </Button>
            </Flex>
          </Cell>
        ),
      },
    ];
    content = (
      <Flex direction="column" gap="4">
        <Text as="p" color="secondary">
          Read the parameters on the request&rsquo;s page before you decide;
          approving queues provisioning at once.
        </Text>
        <Table
          columnConfig={columns}
          data={pending.value}
          pagination={{ type: 'none' }}
        />
      </Flex>
    );
  }

  return (
    <Container>
      {content}
      {deciding && (
        <DecisionDialog
          key={`${deciding.request.id}-${deciding.decision}`}
          request={deciding.request}
          decision={deciding.decision}
          onClose={() => setDeciding(undefined)}
          onDecide={decide}
        />
      )}
    </Container>
  );
}
