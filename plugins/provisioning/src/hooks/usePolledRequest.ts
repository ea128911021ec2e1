import { useApi } from '@backstage/frontend-plugin-api';
import {
  ProvisioningRequest,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../api';
import { pollInterval } from '../lib/states';

/** How often a request the worker is busy with is read again. */
const BUSY_POLL_INTERVAL_MS = 2500;

/**
 * `read` with what a call that changed the request returned, where that is newer:
 * a read that was under way while the call ran must not bring an older expiry
 * back. Recording activity moves the expiry without touching `updatedAt`, hence the
 * later of the two expiries for the same version.
 */
export function withUpdate(
  read: ProvisioningRequestDetails,
  update: ProvisioningRequest | undefined,
): ProvisioningRequestDetails {
  if (!update || update.id !== read.id) {
    return read;
  }
  if (update.updatedAt > read.updatedAt) {
    return { ...read, ...update };
  }
  if (
    update.updatedAt === read.updatedAt &&
    update.expiresAt &&
    read.expiresAt &&
    update.expiresAt > read.expiresAt
  ) {
    return { ...read, expiresAt: update.expiresAt };
  }
  return read;
}

/**
 * A request with its timeline, read again every few seconds while it is still
 * changing. `reload` reads it at once (after the user changed it); `update` shows
 * what a call that changed it returned until the next read.
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
  const lastUpdate = useRef<ProvisioningRequest>();

  const reload = useCallback(() => setTick(t => t + 1), []);
  const update = useCallback((value: ProvisioningRequest) => {
    lastUpdate.current = value;
    setRequest(current => current && withUpdate(current, value));
  }, []);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const call = ++latest.current;
    api.getRequest(id).then(
      value => {
        if (cancelled || call !== latest.current) return;
        loaded.current = true;
        setRequest(withUpdate(value, lastUpdate.current));
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

  return { request, error, loading: !request && !error, reload, update };
}
