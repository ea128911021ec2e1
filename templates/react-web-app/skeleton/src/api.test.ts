import { describe, expect, it } from 'vitest';
import { checkApi } from './api';
import { fakeFetch, json } from './test/fakeFetch';

describe('checkApi', () => {
  it('is up when the health endpoint answers 2xx', async () => {
    const fetch = fakeFetch({ 'https://api.example.test/healthz': () => json({ status: 'ok' }) });
    await expect(checkApi('https://api.example.test', fetch)).resolves.toEqual({ status: 'up' });
  });

  it('is down with the HTTP status when the health endpoint fails', async () => {
    const fetch = fakeFetch({ '/api/healthz': () => json({}, 500) });
    await expect(checkApi('/api', fetch)).resolves.toEqual({ status: 'down', reason: 'HTTP 500' });
  });

  it('is down, without throwing, when the API cannot be reached', async () => {
    await expect(checkApi('/api', fakeFetch({}))).resolves.toEqual({ status: 'down', reason: 'unreachable' });
  });
});
