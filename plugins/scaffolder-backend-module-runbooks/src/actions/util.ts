import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it returns a value, `timeoutMs` passes (then throws `what`)
 * or `signal` aborts.
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Gave up after ${Math.round(options.timeoutMs / 1000)} s: ${what}`,
      );
    }
    await sleep(options.intervalMs ?? 1000, undefined, {
      signal: options.signal,
    });
  }
}

/** The key that makes a side effect of this task's step happen once. */
export function stepKey(ctx: {
  task: { id: string };
  step?: { id?: string };
}): string {
  return `${ctx.task.id}:${ctx.step?.id ?? 'step'}`;
}

/** Refuses a change the user did not confirm (`confirm: false` from the form). */
export function requireConfirmed(confirm: boolean | undefined, what: string) {
  if (confirm === false) {
    throw new Error(
      `Not confirmed: tick "confirm" to ${what}; nothing was changed`,
    );
  }
}
