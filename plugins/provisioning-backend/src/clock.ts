/**
 * Where the engine reads the time. Leases and backoff compare times written by
 * several processes, so they all use epoch milliseconds from here; tests move it.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
