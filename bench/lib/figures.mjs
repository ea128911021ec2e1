/*
 * The benches' figures: timing runs a few at a time, their percentiles, and the
 * printed lines (p50/p95/max and the ratios against a baseline).
 */
import os from 'node:os';

/** p50, p95, p99 and max of durations (ms). */
export function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = q =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}

/**
 * Runs `fn(i)` for i in 0..count-1, `concurrency` at a time; the statistics of each
 * run's duration (ms) and, when `fn` returns one, of the server's own time.
 */
export async function timed(count, concurrency, fn) {
  const durations = [];
  const serverTimes = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const serverMs = await fn(i);
        durations.push(performance.now() - t0);
        if (typeof serverMs === 'number') serverTimes.push(serverMs);
      }
    }),
  );
  return {
    ...stats(durations),
    server: serverTimes.length > 0 ? stats(serverTimes) : undefined,
  };
}

const fmt = s =>
  `p50 ${s.p50.toFixed(0).padStart(5)} ms  p95 ${s.p95
    .toFixed(0)
    .padStart(5)} ms  max ${s.max.toFixed(0).padStart(5)} ms`;

/**
 * A printer of one figure a line: its label padded to `width`, then the figures and,
 * given a baseline, the p50/p95 ratios against it with `digits` decimals.
 */
export function lineWriter({ width, digits }) {
  const ratio = (a, b) =>
    `p50 x${(a.p50 / b.p50).toFixed(digits)}  p95 x${(a.p95 / b.p95).toFixed(
      digits,
    )}`;
  return (label, stat, base) =>
    console.log(
      `  ${label.padEnd(width)} ${fmt(stat)}${
        base ? `   vs baseline ${ratio(stat, base)}` : ''
      }`,
    );
}

/** The machine's load averages, as printed beside the figures. */
export const loadavg = () =>
  os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ');
