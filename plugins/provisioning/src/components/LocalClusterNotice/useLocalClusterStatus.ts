import { useApi } from '@backstage/frontend-plugin-api';
import { LocalClusterStatus } from '@paved/plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { provisioningApiRef } from '../../api';

const POLL_MS = 5_000;

const moving = (status?: LocalClusterStatus) =>
  status?.state === 'building' || status?.state === 'starting';

/**
 * The local cluster's status, asked again every few seconds while it is being
 * built or started. `sawProgress`: it was building or starting while this page was
 * open. A failed call while it moves is the backend restarting to use the cluster:
 * the last answer stands and the polling goes on.
 */
export function useLocalClusterStatus(pollMs = POLL_MS): {
  status?: LocalClusterStatus;
  sawProgress: boolean;
} {
  const api = useApi(provisioningApiRef);
  const [status, setStatus] = useState<LocalClusterStatus>();
  const [sawProgress, setSawProgress] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: LocalClusterStatus | undefined;
    const poll = async () => {
      let next: LocalClusterStatus | undefined;
      try {
        next = await api.getLocalCluster();
      } catch {
        next = undefined;
      }
      if (stopped) return;
      if (next) {
        last = next;
        setStatus(next);
        if (moving(next)) setSawProgress(true);
      }
      if (moving(next) || (!next && moving(last))) {
        timer = setTimeout(poll, pollMs);
      }
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, pollMs]);

  return { status, sawProgress };
}
