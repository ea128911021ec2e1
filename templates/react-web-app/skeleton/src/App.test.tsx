import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { APP_INFO } from './appInfo';
import { fakeFetch, json } from './test/fakeFetch';

describe('App', () => {
  it('shows the app name, description, owner and system', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal('fetch', fakeFetch({}));
    render(<App />);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('${{ values.name }}');
    expect(screen.getByText(APP_INFO.description)).toBeInTheDocument();
    expect(screen.getByText('${{ values.owner }}')).toBeInTheDocument();
    expect(screen.getByText('${{ values.system }}')).toBeInTheDocument();
    // Nothing served: the default API base URL is used, and reported unreachable.
    expect(await screen.findByText('Down: unreachable')).toBeInTheDocument();
    expect(screen.getByTestId('api-base-url')).toHaveTextContent('/api (from default)');
  });

  it('calls the API named in /config.json and reports it up', async () => {
    const fetch = fakeFetch({
      '/config.json': () => json({ apiBaseUrl: 'https://api.example.test/' }),
      'https://api.example.test/healthz': () => json({ status: 'ok' }),
    });
    vi.stubGlobal('fetch', fetch);
    render(<App />);

    expect(await screen.findByText('https://api.example.test')).toBeInTheDocument();
    expect(screen.getByTestId('api-base-url')).toHaveTextContent('(from config.json)');
    expect(await screen.findByText('Up (GET /healthz answered)')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith('https://api.example.test/healthz', expect.anything());
  });

  it('reports the API down, and up again after "Check again" once it recovers', async () => {
    let apiUp = false;
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        '/config.json': () => json({ apiBaseUrl: '/api' }),
        '/api/healthz': () => (apiUp ? json({ status: 'ok' }) : json({ error: 'unavailable' }, 503)),
      }),
    );
    render(<App />);

    expect(screen.getByRole('status')).toHaveTextContent('Checking…');
    expect(await screen.findByText('Down: HTTP 503')).toBeInTheDocument();

    apiUp = true;
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));

    expect(await screen.findByText('Up (GET /healthz answered)')).toBeInTheDocument();
  });
});
