import { useApi } from '@backstage/frontend-plugin-api';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../api';
import { pollInterval } from '../lib/states';

/** How often a request the worker is busy with is read again. */
export const BUSY_POLL_INTERVAL_MS = 2500;

/**
 * A request with its timeline, read again every few seconds while it is still
 * changing. `reload` reads it at once (after the user changed it).
 */
export function usePolledRequest(
  id: string,
  busyIntervalMs = BUSY_POLL_INTERVAL_MS,
) {
  const api = useApi(provisioningApiRef);
  const [request, setRequest] = useState<ProvisioningRequestDetails>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loaded = useRef(false);

  const reload = useCallback(() => setTick(t => t + 1), []);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const call = ++latest.current;
    api.getRequest(id).then(
      value => {
        if (cancelled || call !== latest.current) return;
        loaded.current = true;
        setRequest(value);
        setError(undefined);
        const interval = pollInterval(value.state, busyIntervalMs);
        if (interval !== undefined) {
          timer = setTimeout(reload, interval);
        }
      },
      err => {
        if (cancelled || call !== latest.current) return;
        setError(err);
        // A blip while polling should not end it; a first read that fails (a
        // request that does not exist, or that the user may not see) does.
        if (loaded.current) {
          timer = setTimeout(reload, busyIntervalMs * 4);
        }
      },
    );
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, id, tick, busyIntervalMs, reload]);

  return { request, error, loading: !request && !error, reload };
}
