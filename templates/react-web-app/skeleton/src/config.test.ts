import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_API_BASE_URL, loadConfig } from './config';
import { fakeFetch, json } from './test/fakeFetch';

describe('loadConfig', () => {
  it('prefers /config.json, which is mounted per environment, over the build-time variable', async () => {
    const fetch = fakeFetch({ '/config.json': () => json({ apiBaseUrl: 'https://orders.example.test/api/' }) });

    await expect(loadConfig(fetch, { VITE_API_BASE_URL: 'http://localhost:8080' })).resolves.toEqual({
      apiBaseUrl: 'https://orders.example.test/api',
      source: 'config.json',
    });
    expect(fetch).toHaveBeenCalledWith('/config.json', { cache: 'no-store' });
  });

  it('falls back to VITE_API_BASE_URL when /config.json is not served', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fetch = fakeFetch({ '/config.json': () => new Response('Not found', { status: 404 }) });

    await expect(loadConfig(fetch, { VITE_API_BASE_URL: 'http://localhost:8080' })).resolves.toEqual({
      apiBaseUrl: 'http://localhost:8080',
      source: 'VITE_API_BASE_URL',
    });
  });

  it('falls back to the default when /config.json is not valid and no variable is set', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fetch = fakeFetch({ '/config.json': () => json({ apiBaseURL: 'typo in the key' }) });

    await expect(loadConfig(fetch, {})).resolves.toEqual({
      apiBaseUrl: DEFAULT_API_BASE_URL,
      source: 'default',
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no "apiBaseUrl"'));
  });
});
