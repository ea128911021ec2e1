import { Alert, Button, Container } from '@backstage/ui';
import { describeLocalCluster } from './describeLocalCluster';
import { useLocalClusterStatus } from './useLocalClusterStatus';

/**
 * Says, while `./paved start` is still building or starting the local Kubernetes
 * cluster, that what needs it is not there yet and how long the build took last
 * time; offers a reload once it is ready. Renders nothing where there is no local
 * cluster (production) or once it runs.
 *
 * @public
 */
export function LocalClusterNotice(props: {
  /** Wraps the notice in a page `Container`, for pages whose content sits in one. */
  container?: boolean;
  /** How often to ask while the cluster is on its way; for tests. */
  pollMs?: number;
}) {
  const { status, sawProgress } = useLocalClusterStatus(props.pollMs);
  const content =
    status && describeLocalCluster(status, { now: Date.now(), sawProgress });
  if (!content) {
    return null;
  }
  const notice = (
    <Alert
      status={content.status}
      icon
      isPending={content.pending}
      title={content.title}
      description={content.description}
      mb={props.container ? undefined : '4'}
      customActions={
        content.reload ? (
          <Button
            size="small"
            variant="secondary"
            onPress={() => window.location.reload()}
          >
            Reload
          </Button>
        ) : undefined
      }
    />
  );
  return props.container ? <Container>{notice}</Container> : notice;
}
