import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, SERVICE_NAME } from './app.js';
import { HTTP_REQUEST_DURATION_METRIC } from './metrics.js';

describe('${{ values.name }}', () => {
  const app = createApp();

  it('GET /healthz reports the process is alive', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports ready', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('GET /readyz answers 503 when not ready (e.g. shutting down)', async () => {
    const res = await request(createApp({ isReady: () => false })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready' });
  });

  it('GET / says hello', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ service: SERVICE_NAME, message: `Hello from ${SERVICE_NAME}!` });
  });

  it('GET /metrics exposes the request duration histogram after a request', async () => {
    await request(app).get('/').expect(200);

    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain(`# TYPE ${HTTP_REQUEST_DURATION_METRIC} histogram`);
    expect(res.text).toMatch(
      new RegExp(`${HTTP_REQUEST_DURATION_METRIC}_count\\{[^}]*route="/"[^}]*status_code="200"`),
    );
    // Default process metrics are registered too.
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('unknown routes get a JSON 404 labelled "unmatched" in metrics', async () => {
    const res = await request(app).get('/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found' });

    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toMatch(/route="unmatched"[^}]*status_code="404"/);
  });
});
