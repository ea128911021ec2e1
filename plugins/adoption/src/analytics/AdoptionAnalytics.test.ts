import { AnalyticsEvent } from '@backstage/frontend-plugin-api';
import {
  AdoptionAnalytics,
  AdoptionAnalyticsOptions,
} from './AdoptionAnalytics';

type Sent = { url: string; init: RequestInit; body: any };

/** A fetch that answers the statuses given, in order (then 200). */
function fakeFetch(statuses: Array<number | 'network'> = []) {
  const sent: Sent[] = [];
  const fetch = jest.fn(async (url: string, init: RequestInit) => {
    sent.push({ url, init, body: JSON.parse(String(init.body)) });
    const status = statuses.shift() ?? 200;
    if (status === 'network') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({}), { status });
  });
  return { fetchApi: { fetch: fetch as any }, sent };
}

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

const event = (n = 0): AnalyticsEvent => ({
  action: 'navigate',
  subject: `/catalog/default/component/svc-${n}`,
  context: {
    pluginId: 'catalog',
    routeRef: 'catalog:entity',
    extensionId: 'page:catalog/entity',
    entityRef: `component:default/svc-${n}`,
  },
});

function analytics(
  fetch: ReturnType<typeof fakeFetch>,
  options: Partial<AdoptionAnalyticsOptions> = {},
) {
  return new AdoptionAnalytics({
    discoveryApi,
    fetchApi: fetch.fetchApi,
    flushIntervalMs: 10_000,
    flushAt: 3,
    retryBaseMs: 1_000,
    logger: { warn: jest.fn() },
    ...options,
  });
}

/** Lets the awaited discovery and fetch promises settle. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('AdoptionAnalytics', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-11-26T10:00:00.000Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('sends a batch after the flush interval, with plugin, route, entity and time', async () => {
    const fetch = fakeFetch();
    const api = analytics(fetch);
    api.captureEvent(event(1));
    api.captureEvent({
      action: 'search',
      subject: 'postgres',
      value: 0,
      context: { pluginId: 'search', extensionId: 'app' },
    });
    await settle();
    expect(fetch.sent).toHaveLength(0);

    jest.advanceTimersByTime(10_000);
    await settle();

    expect(fetch.sent).toHaveLength(1);
    expect(fetch.sent[0].url).toBe('http://backend/api/adoption/events');
    expect(fetch.sent[0].init.method).toBe('POST');
    expect(fetch.sent[0].body.batchId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(fetch.sent[0].body.events).toEqual([
      {
        action: 'navigate',
        subject: '/catalog/default/component/svc-1',
        context: {
          pluginId: 'catalog',
          routeRef: 'catalog:entity',
          extensionId: 'page:catalog/entity',
          entityRef: 'component:default/svc-1',
        },
        timestamp: '2026-11-26T10:00:00.000Z',
      },
      {
        action: 'search',
        subject: 'postgres',
        value: 0,
        context: { pluginId: 'search', extensionId: 'app' },
        timestamp: '2026-11-26T10:00:00.000Z',
      },
    ]);
  });

  it('sends at once when a batch reaches flushAt events', async () => {
    const fetch = fakeFetch();
    const api = analytics(fetch);
    [1, 2, 3, 4].forEach(n => api.captureEvent(event(n)));
    await settle();

    expect(fetch.sent).toHaveLength(1);
    expect(fetch.sent[0].body.events).toHaveLength(3);

    jest.advanceTimersByTime(10_000);
    await settle();
    expect(fetch.sent).toHaveLength(2);
    expect(fetch.sent[1].body.events).toHaveLength(1);
    expect(fetch.sent[1].body.batchId).not.toBe(fetch.sent[0].body.batchId);
  });

  it('retries a failed batch with backoff under the same batchId', async () => {
    const fetch = fakeFetch([503, 'network']);
    const api = analytics(fetch);
    [1, 2, 3].forEach(n => api.captureEvent(event(n)));
    await settle();
    expect(fetch.sent).toHaveLength(1);

    jest.advanceTimersByTime(999);
    await settle();
    expect(fetch.sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(fetch.sent).toHaveLength(2); // after 1 s: a network error

    jest.advanceTimersByTime(1_999);
    await settle();
    expect(fetch.sent).toHaveLength(2);
    jest.advanceTimersByTime(1);
    await settle();
    expect(fetch.sent).toHaveLength(3); // after 2 s more: accepted

    const ids = fetch.sent.map(s => s.body.batchId);
    expect(new Set(ids).size).toBe(1);
    expect(fetch.sent[2].body.events).toEqual(fetch.sent[0].body.events);

    jest.advanceTimersByTime(600_000);
    await settle();
    expect(fetch.sent).toHaveLength(3);
  });

  it('sends what it has, without waiting, when the page is hidden', async () => {
    const fetch = fakeFetch();
    const api = analytics(fetch);
    api.captureEvent(event(1));
    await settle();
    expect(fetch.sent).toHaveLength(0);

    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => 'hidden',
    });
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    delete (document as any).visibilityState;

    expect(fetch.sent).toHaveLength(1);
    expect(fetch.sent[0].init.keepalive).toBe(true);
    expect(api.droppedEvents).toBe(0);
  });

  it('sends nothing when adoption.analytics.enabled is false', async () => {
    const fetch = fakeFetch();
    const config = {
      getOptionalBoolean: (key: string) =>
        key === 'adoption.analytics.enabled' ? false : undefined,
      getOptionalNumber: () => undefined,
    };
    const api = AdoptionAnalytics.fromConfig(config as any, {
      discoveryApi,
      fetchApi: fetch.fetchApi,
    });
    for (let n = 0; n < 100; n++) api.captureEvent(event(n));
    jest.advanceTimersByTime(60_000);
    await api.flush();
    await settle();

    expect(fetch.fetchApi.fetch).not.toHaveBeenCalled();
  });

  it('keeps at most maxBatches unsent, dropping the oldest, counting and warning once', async () => {
    const fetch = fakeFetch(Array(100).fill(503));
    const logger = { warn: jest.fn() };
    const api = analytics(fetch, { flushAt: 2, maxBatches: 3, logger });
    for (let n = 0; n < 10; n++) api.captureEvent(event(n)); // 5 batches of 2
    await settle();

    expect(api.droppedEvents).toBe(4);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /dropped 2 events .*buffer of unsent batches is full/,
    );

    // The backend is back: the 3 batches kept are sent, the oldest first.
    fetch.fetchApi.fetch.mockImplementation(async (url: string, init: any) => {
      fetch.sent.push({ url, init, body: JSON.parse(init.body) });
      return new Response('{}', { status: 200 });
    });
    jest.advanceTimersByTime(1_000);
    await settle();
    await settle();
    const delivered = fetch.sent.slice(1).map(s => s.body.events[0].subject);
    expect(delivered).toEqual([
      '/catalog/default/component/svc-4',
      '/catalog/default/component/svc-6',
      '/catalog/default/component/svc-8',
    ]);
  });

  it('drops a batch the backend refuses as invalid instead of retrying it forever', async () => {
    const fetch = fakeFetch([400]);
    const logger = { warn: jest.fn() };
    const api = analytics(fetch, { logger });
    [1, 2, 3].forEach(n => api.captureEvent(event(n)));
    await settle();

    expect(api.droppedEvents).toBe(3);
    expect(logger.warn.mock.calls[0][0]).toMatch(/refused the batch/);
    jest.advanceTimersByTime(600_000);
    await settle();
    expect(fetch.sent).toHaveLength(1);
  });

  it('cuts over-long fields to what the backend accepts', async () => {
    const fetch = fakeFetch();
    const api = analytics(fetch, { flushAt: 1 });
    api.captureEvent({
      action: 'click',
      subject: 'x'.repeat(5000),
      context: {
        pluginId: 'catalog',
        extensionId: 'page:catalog',
        entityRef: 'e'.repeat(300),
      },
    });
    await settle();
    const [sent] = fetch.sent[0].body.events;
    expect(sent.subject).toHaveLength(1000);
    expect(sent.context.entityRef).toHaveLength(255);
  });
});
