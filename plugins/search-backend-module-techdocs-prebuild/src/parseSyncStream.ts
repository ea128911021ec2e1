/**
 * The outcome of one TechDocs sync, read from the techdocs backend's
 * `text/event-stream` answer (`event: log|finish|error` with JSON `data:`).
 */
export type SyncOutcome =
  | { kind: 'finished'; updated: boolean }
  | { kind: 'failed'; message: string };

export function parseSyncStream(body: string): SyncOutcome {
  let outcome: SyncOutcome = {
    kind: 'failed',
    message: 'the sync stream ended without a finish or error event',
  };
  for (const block of body.split(/\r?\n\r?\n/)) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!event || data === undefined) {
      continue;
    }
    if (event === 'finish') {
      const parsed = JSON.parse(data) as { updated?: boolean };
      outcome = { kind: 'finished', updated: Boolean(parsed.updated) };
    } else if (event === 'error') {
      outcome = { kind: 'failed', message: String(JSON.parse(data)) };
    }
  }
  return outcome;
}
