import {
  AnalyticsEvent,
  ConfigApi,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { AnalyticsImplementation } from '@backstage/plugin-app-react';
import {
  AnalyticsEventInput,
  MAX_EVENTS_PER_BATCH,
} from '@paved/plugin-adoption-common';
import { newBatchId } from './batchId';
import { toEventInput } from './toEventInput';

/** @public */
export type AdoptionAnalyticsOptions = {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** When false, events are ignored and nothing is sent. Default true. */
  enabled?: boolean;
  /** Time between the first event of a batch and its sending. Default 10 s. */
  flushIntervalMs?: number;
  /** Number of events that sends a batch at once. Default 50, at most 1000. */
  flushAt?: number;
  /** Unsent batches kept in memory; beyond it the oldest is dropped. Default 50. */
  maxBatches?: number;
  /** First retry delay, doubled on each failure. Default 2 s. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 5 minutes. */
  retryMaxMs?: number;
  logger?: Pick<Console, 'warn'>;
};

type PendingBatch = {
  /** Stays the same across retries, so that the server stores the batch once. */
  batchId: string;
  events: AnalyticsEventInput[];
  failures: number;
};

/** Above this a `keepalive` request is refused by browsers (64 KiB in all). */
const KEEPALIVE_MAX_BYTES = 60_000;

/**
 * Sends the portal's analytics events to the adoption backend
 * (`POST /api/adoption/events`) in batches: after `flushIntervalMs`, at
 * `flushAt` events, and when the page is hidden. A batch that fails is retried
 * with exponential backoff under the same `batchId`; unsent batches are kept in
 * memory up to `maxBatches`, after which the oldest is dropped, counted
 * ({@link AdoptionAnalytics.droppedEvents}) and warned about once.
 *
 * Who did what is recorded by the backend from the request's token; it stores
 * pseudonyms instead of user refs when `adoption.pseudonymize` is on.
 *
 * @public
 */
export class AdoptionAnalytics implements AnalyticsImplementation {
  private readonly options: Required<
    Omit<AdoptionAnalyticsOptions, 'discoveryApi' | 'fetchApi'>
  > &
    Pick<AdoptionAnalyticsOptions, 'discoveryApi' | 'fetchApi'>;
  private current: AnalyticsEventInput[] = [];
  private readonly queue: PendingBatch[] = [];
  private flushTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private sending = false;
  private dropped = 0;
  private warnedAboutDrops = false;

  /** Reads `adoption.analytics.*` from the app's config. */
  static fromConfig(
    config: ConfigApi,
    apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ): AdoptionAnalytics {
    const seconds = config.getOptionalNumber(
      'adoption.analytics.flushIntervalSeconds',
    );
    return new AdoptionAnalytics({
      ...apis,
      enabled: config.getOptionalBoolean('adoption.analytics.enabled') ?? true,
      flushIntervalMs: seconds === undefined ? undefined : seconds * 1000,
      flushAt: config.getOptionalNumber('adoption.analytics.flushAt'),
    });
  }

  constructor(options: AdoptionAnalyticsOptions) {
    const given = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    ) as Partial<AdoptionAnalyticsOptions>;
    this.options = {
      enabled: true,
      flushIntervalMs: 10_000,
      flushAt: 50,
      maxBatches: 50,
      retryBaseMs: 2_000,
      retryMaxMs: 300_000,
      logger: console,
      ...given,
      discoveryApi: options.discoveryApi,
      fetchApi: options.fetchApi,
    };
    this.options.flushAt = Math.max(
      1,
      Math.min(this.options.flushAt, MAX_EVENTS_PER_BATCH),
    );
    if (this.options.enabled && typeof document !== 'undefined') {
      // The last events of a visit (and the batches still waiting) would be lost
      // with the tab; hidden is the last moment pages reliably get to send.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') {
          this.flush({ keepalive: true });
        }
      });
    }
  }

  /** Events dropped because the buffer of unsent batches was full. */
  get droppedEvents(): number {
    return this.dropped;
  }

  captureEvent(event: AnalyticsEvent): void {
    if (!this.options.enabled) return;
    this.current.push(toEventInput(event, new Date()));
    if (this.current.length >= this.options.flushAt) {
      this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(
        () => this.flush(),
        this.options.flushIntervalMs,
      );
    }
  }

  /** Closes the batch being filled and sends every batch waiting. */
  flush(options: { keepalive?: boolean } = {}): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.current.length > 0) {
      this.enqueue({
        batchId: newBatchId(),
        events: this.current,
        failures: 0,
      });
      this.current = [];
    }
    if (options.keepalive) {
      // A retry waiting for its backoff goes now too: there may be no later.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    return this.sendQueued(options.keepalive ?? false);
  }

  private enqueue(batch: PendingBatch) {
    this.queue.push(batch);
    while (this.queue.length > this.options.maxBatches) {
      this.drop(this.queue.shift()!, 'the buffer of unsent batches is full');
    }
  }

  private drop(batch: PendingBatch, reason: string) {
    this.dropped += batch.events.length;
    if (!this.warnedAboutDrops) {
      this.warnedAboutDrops = true;
      this.options.logger.warn(
        `Adoption analytics dropped ${batch.events.length} events (batch ${batch.batchId}): ${reason}. ` +
          `Further drops are counted without a warning.`,
      );
    }
  }

  private async sendQueued(keepalive: boolean): Promise<void> {
    if (this.sending || this.retryTimer) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue[0];
        const outcome = await this.post(batch, keepalive);
        if (outcome === 'retry') {
          batch.failures += 1;
          this.scheduleRetry(batch.failures);
          return;
        }
        this.queue.shift();
        if (outcome === 'rejected') {
          this.drop(batch, 'the adoption backend refused the batch');
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private scheduleRetry(failures: number) {
    const delay = Math.min(
      this.options.retryBaseMs * 2 ** (failures - 1),
      this.options.retryMaxMs,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.sendQueued(false);
    }, delay);
  }

  private async post(
    batch: PendingBatch,
    keepalive: boolean,
  ): Promise<'sent' | 'retry' | 'rejected'> {
    try {
      const baseUrl = await this.options.discoveryApi.getBaseUrl('adoption');
      const body = JSON.stringify({
        batchId: batch.batchId,
        events: batch.events,
      });
      const response = await this.options.fetchApi.fetch(`${baseUrl}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        keepalive: keepalive && body.length < KEEPALIVE_MAX_BYTES,
      });
      if (response.ok) return 'sent';
      // A 400 will be a 400 again: retrying would only block the batches behind.
      // 401 (not signed in yet), 408, 429 and 5xx may pass later.
      const permanent =
        response.status >= 400 &&
        response.status < 500 &&
        ![401, 408, 429].includes(response.status);
      return permanent ? 'rejected' : 'retry';
    } catch {
      return 'retry';
    }
  }
}
