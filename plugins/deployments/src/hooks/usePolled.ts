import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * `load()`'s value, loaded again every `intervalMs` while `keepPolling(value)` says
 * something is still moving (a rollout in progress). The previous value stays
 * while the next loads, so the page does not flicker.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  deps: unknown[],
  keepPolling: (value: T | undefined) => boolean,
  intervalMs: number,
) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry(load, deps);
  const polling = !state.loading && !state.error && keepPolling(state.value);
  const { retry } = state;
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setTimeout(retry, intervalMs);
    return () => clearTimeout(timer);
  }, [polling, retry, intervalMs, state.value]);
  return state;
}
