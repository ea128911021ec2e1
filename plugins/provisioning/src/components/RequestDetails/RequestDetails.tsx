import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  coreApis,
  useApi,
  useAppLocation,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  Button,
  Card,
  CardBody,
  CardHeader,
  Flex,
  Link,
  Text,
} from '@backstage/ui';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  absoluteTime,
  ActorName,
  relativeTime,
  statusOf,
} from '@paved/display-react';
import {
  ACTIVE_REQUEST_STATES,
  ResourceTypeActionInfo,
} from '@paved/plugin-provisioning-common';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { provisioningApiRef } from '../../api';
import { usePolledRequest } from '../../hooks/usePolledRequest';
import { requestsRouteRef } from '../../routes';
import { ErrorAlert } from '../ErrorAlert';
import { StateChip } from '../StateChip';
import { ActionDialog } from './ActionDialog';
import { DeleteDialog } from './DeleteDialog';
import { canExtend, ExpiryNotice } from './ExpiryNotice';
import { ExtendDialog } from './ExtendDialog';
import { LiveStatus, useLiveStatus } from './LiveStatus';
import { Outputs } from './Outputs';
import { PendingActionApproval } from './PendingActionApproval';
import { RequestProgress } from './RequestProgress';
import { Timeline } from './Timeline';

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <Text as="h3" variant="title-x-small" weight="bold">
          {props.title}
        </Text>
      </CardHeader>
      <CardBody>{props.children}</CardBody>
    </Card>
  );
}

/**
 * One request: its state and progress (read again every few seconds while the
 * worker is on it), where its resource is, its timeline, and what can be done
 * with it next.
 */
export function RequestDetails(props: {
  id: string;
  pollIntervalMs?: number;
  statusPollIntervalMs?: number;
}) {
  const api = useApi(provisioningApiRef);
  const toastApi = useApi(coreApis.toast);
  const requestsLink = useRouteRef(requestsRouteRef);
  const { request, error, loading, reload, update } = usePolledRequest(
    props.id,
    props.pollIntervalMs,
  );
  // Notifications about the expiry link here with `?extend=1`.
  const { search } = useAppLocation();
  const [extending, setExtending] = useState(
    () => new URLSearchParams(search).get('extend') === '1',
  );
  const live = useLiveStatus(
    props.id,
    request?.state === 'ready',
    props.statusPollIntervalMs,
  );
  const types = useAsync(() => api.listTypes(), [api]);
  const [action, setAction] = useState<ResourceTypeActionInfo>();
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<{
    error: Error;
    title: string;
    what: string;
  }>();

  // Opening the page is activity that keeps an expiring resource alive, once per
  // visit. Only owners may record it: a 403 for anyone else is expected.
  const recorded = useRef<string>();
  useEffect(() => {
    if (recorded.current === props.id) return;
    recorded.current = props.id;
    api.recordActivity(props.id).then(update, () => {});
  }, [api, props.id, update]);

  if (loading) {
    return <Progress />;
  }
  if (!request) {
    const notFound = error && statusOf(error) === 404;
    return (
      <Flex direction="column" gap="4">
        <ResponseErrorPanel
          title={
            notFound
              ? `There is no request '${props.id}'`
              : `Could not load request '${props.id}'`
          }
          error={error ?? new Error('Unknown error')}
        />
        {requestsLink && (
          <Link href={requestsLink()}>Back to my resources</Link>
        )}
      </Flex>
    );
  }

  const type = types.value?.find(t => t.id === request.type);
  // An action waiting for its approval holds the request's one operation slot.
  const actionPending = request.activeOperation?.status === 'pending-approval';
  const canAct = request.state === 'ready' && !actionPending;
  const canDelete =
    ['ready', 'failed', 'pending-approval'].includes(request.state) &&
    !actionPending;

  const runAction = async (input: JsonObject, idempotencyKey: string) => {
    await api.runAction(request.id, action!.id, { input, idempotencyKey });
    toastApi.post({
      title: `${action!.title} queued for ${request.name}`,
      status: 'success',
      timeout: 5000,
    });
    setAction(undefined);
    reload();
  };

  const extend = async (hours: number) => {
    const updated = await api.extendRequest(request.id, hours);
    update(updated);
    toastApi.post({
      title: `${request.name} extended until ${absoluteTime(
        updated.expiresAt ??
          new Date(Date.now() + hours * 3_600_000).toISOString(),
      )}`,
      status: 'success',
      timeout: 5000,
    });
    setExtending(false);
    reload();
  };

  const confirmDelete = async () => {
    setActionError(undefined);
    try {
      await api.deleteRequest(request.id);
      setDeleting(false);
      reload();
    } catch (e) {
      setDeleting(false);
      setActionError({
        error: e as Error,
        title: `Could not delete ${request.name}`,
        what: 'delete this resource',
      });
    }
  };

  return (
    <Flex direction="column" gap="4">
      {/* Wrapping rows: a type with many actions has more buttons than fit beside
          the title (six for a database), and the page must not scroll sideways. */}
      <Flex
        justify="between"
        align="start"
        gap="3"
        style={{ flexWrap: 'wrap' }}
      >
        <Flex direction="column" gap="1">
          <Flex align="center" gap="3">
            <Text as="h2" variant="title-medium">
              {request.name}
            </Text>
            <StateChip state={request.state} />
          </Flex>
          <Text as="p" color="secondary">
            {type?.title ?? request.type} of{' '}
            <EntityRefLink entityRef={request.owner} hideIcon />, requested by{' '}
            <ActorName actor={request.createdBy} />{' '}
            <span title={absoluteTime(request.createdAt)}>
              {relativeTime(request.createdAt)}
            </span>
          </Text>
        </Flex>
        <Flex
          gap="2"
          align="center"
          role="group"
          aria-label="Actions"
          style={{ flexWrap: 'wrap' }}
        >
          {type?.actions.map(a => (
            <Button
              key={a.id}
              variant="secondary"
              isDisabled={!canAct}
              onPress={() => {
                setActionError(undefined);
                setAction(a);
              }}
            >
              {a.title}
            </Button>
          ))}
          <Button
            variant="secondary"
            destructive
            isDisabled={!canDelete}
            onPress={() => setDeleting(true)}
          >
            {request.state === 'pending-approval' ? 'Withdraw' : 'Delete'}
          </Button>
        </Flex>
      </Flex>

      <ExpiryNotice request={request} onExtend={() => setExtending(true)} />
      {actionError && (
        <ErrorAlert
          error={actionError.error}
          title={actionError.title}
          forbidden={{ owner: request.owner, what: actionError.what }}
        />
      )}
      {error && (
        <ErrorAlert
          error={error}
          title="Could not refresh the request; retrying"
        />
      )}
      <RequestProgress request={request} />
      <PendingActionApproval
        request={request}
        onDecided={decided => {
          update(decided);
          reload();
        }}
      />

      <Section title="Where to find it">
        <Flex direction="column" gap="2">
          {/* The catalog lists every request that is not over as a Resource. */}
          {ACTIVE_REQUEST_STATES.includes(request.state) && (
            <Text as="p">
              In the catalog:{' '}
              <EntityRefLink
                entityRef={{
                  kind: 'resource',
                  namespace: 'default',
                  name: request.name,
                }}
                hideIcon
              >
                {request.name}
              </EntityRefLink>
            </Text>
          )}
          <Outputs outputs={request.outputs} />
        </Flex>
      </Section>
      {request.state === 'ready' &&
        (live.error || live.status?.sections.length !== 0) && (
          <Section title="Live status">
            <LiveStatus status={live.status} error={live.error} />
          </Section>
        )}
      <Section title="Parameters">
        <pre style={{ margin: 0 }}>
          {JSON.stringify(request.parameters, null, 2)}
        </pre>
      </Section>
      <Section title="Timeline">
        <Timeline events={request.timeline} />
      </Section>

      {action && (
        <ActionDialog
          action={action}
          owner={request.owner}
          onClose={() => setAction(undefined)}
          onRun={runAction}
        />
      )}
      {extending && canExtend(request) && !types.loading && (
        <ExtendDialog
          request={request}
          maxHours={type?.lifetime?.maxHours}
          onClose={() => setExtending(false)}
          onExtend={extend}
        />
      )}
      <DeleteDialog
        request={request}
        open={deleting}
        onClose={() => setDeleting(false)}
        onConfirm={confirmDelete}
      />
    </Flex>
  );
}
