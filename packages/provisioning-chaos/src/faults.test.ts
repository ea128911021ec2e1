/*
 * Fault tests of provisioning: real backend processes (./backend.ts) SIGKILLed and
 * restarted, a target PostgreSQL stopped for a while, and two processes sharing one
 * queue, against the test run's PostgreSQL and Kubernetes test cluster. Needs what
 * ./paved test starts; fails (never skips) without it.
 */
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { requireTestCluster } from '@paved/kube-test-utils';
import type { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { escapeIdentifier as ident } from 'pg';
import { BackendProcess } from './BackendProcess';
import { ChaosRun, requirePostgresUrl } from './__testUtils__/ChaosRun';
import { footprints, loginWithSecret, withClient } from './inspect';
import { PrivateCluster } from './PrivateCluster';
import { PrivatePostgres } from './PrivatePostgres';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('provisioning under faults [fault]', () => {
  const pgUrl = requirePostgresUrl();
  const cluster = requireTestCluster();
  const admin: KubeConfig = cluster.kubeConfig;
  const run = new ChaosRun({
    pgUrl,
    kubeconfig: cluster.portalKubeconfigPath,
  });
  const RUN = run.id;
  const tmp = run.tmp;
  const targets: PrivatePostgres[] = [];
  const clusters: PrivateCluster[] = [];

  const start = run.start.bind(run);

  /** Files `count` postgres requests, round robin over `via`; returns their ids. */
  const file = (count: number, ...via: BackendProcess[]) =>
    run.file(
      Array.from({ length: count }, () => ({
        type: 'postgres',
        parameters: {},
      })),
      ...via,
    );

  const details = (backend: BackendProcess, ids: string[]) =>
    run.details(backend, ids);

  /** Waits until every request is ready or failed, and returns them. */
  const settle = (backend: BackendProcess, ids: string[], timeoutMs = 60_000) =>
    run.settle(backend, ids, { timeoutMs });

  /**
   * Every request ended ready or failed with a reason; nothing exists twice; a ready
   * request has its two roles, its database and its Secret, whose password works.
   */
  const expectSettledWithoutDuplicates = async (
    requests: ProvisioningRequestDetails[],
    targetUrl: string,
    kube: KubeConfig = admin,
  ) => {
    for (const r of requests) {
      expect([r.id, r.state]).toEqual([
        r.id,
        expect.stringMatching(/^(ready|failed)$/),
      ]);
      if (r.state === 'failed') {
        expect(r.lastError).toEqual(expect.stringMatching(/\S/));
      }
    }
    const found = await footprints(
      targetUrl,
      kube,
      requests.map(r => r.id),
    );
    for (const r of requests) {
      const footprint = found.get(r.id)!;
      expect({ id: r.id, roles: footprint.roles.length }).toEqual({
        id: r.id,
        roles: r.state === 'ready' ? 2 : expect.any(Number),
      });
      expect(footprint.roles.length).toBeLessThanOrEqual(2);
      expect(footprint.databases.length).toBeLessThanOrEqual(1);
      expect(footprint.secrets.length).toBeLessThanOrEqual(1);
      if (r.state === 'ready') {
        expect(footprint.databases).toEqual([r.outputs.database]);
        expect(footprint.secrets).toEqual([
          `${r.outputs.secretNamespace}/${r.outputs.secretName}`,
        ]);
        await expect(
          loginWithSecret(
            kube,
            String(r.outputs.secretNamespace),
            String(r.outputs.secretName),
          ),
        ).resolves.toBe(r.outputs.user);
      }
    }
  };

  afterAll(async () => {
    await run.stopBackends();
    await Promise.all(targets.map(t => t.purge().catch(() => undefined)));
    await Promise.all(clusters.map(c => c.purge().catch(() => undefined)));
    await withClient(`${pgUrl}/postgres`, async client => {
      const dbs = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${RUN}%`],
      );
      for (const { datname } of dbs.rows) {
        await client.query(
          `DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`,
        );
      }
      const roles = await client.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
        [`${RUN}%`],
      );
      for (const { rolname } of roles.rows) {
        await client.query(`DROP ROLE IF EXISTS ${ident(rolname)}`);
      }
    }).catch(() => undefined);
    await admin
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: run.namespace })
      .catch(() => undefined);
    run.removeTmp();
  });

  it('[fault] SIGKILL at random points while provisioning, then a restart: every request ends ready or failed, nothing twice', async () => {
    const backend = await start('kill');
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      ids.push(...(await file(4, backend)));
      await sleep(randomInt(0, 400));
      await backend.kill();
      await backend.restart();
    }
    const requests = await settle(backend, ids);
    expect(requests).toHaveLength(12);
    await expectSettledWithoutDuplicates(requests, `${pgUrl}/postgres`);
    await backend.stop();
  });

  it('[fault] the target PostgreSQL stopped for a while: requests retry and end ready once it is back', async () => {
    const target = new PrivatePostgres(path.join(tmp, 'target-postgres'));
    targets.push(target);
    const targetUrl = await target.up();
    const backend = await start('pgdown', { targetUrl });

    const ids = await file(4, backend);
    await sleep(randomInt(0, 200));
    await target.down();
    ids.push(...(await file(4, backend)));
    await sleep(4_000);
    const during = await details(backend, ids);
    expect(during.filter(r => r.state === 'failed')).toEqual([]);
    const waiting = during.filter(r => r.state === 'provisioning');
    expect(waiting.length).toBeGreaterThan(0);
    expect(
      waiting.some(r => r.timeline.some(e => e.type === 'retry-scheduled')),
    ).toBe(true);

    await target.up();
    const requests = await settle(backend, ids);
    expect(requests.map(r => r.state)).toEqual(ids.map(() => 'ready'));
    await expectSettledWithoutDuplicates(requests, `${targetUrl}/postgres`);
    await backend.stop();
  });

  it('[fault] the Kubernetes API server stopped for a while: requests retry and end ready once it is back', async () => {
    // A control plane of this test's own: the run's shared one stays up for the others.
    const own = new PrivateCluster(path.join(tmp, 'cluster'));
    clusters.push(own);
    await own.up();
    const backend = await start('apidown', {
      kubeconfig: own.portalKubeconfigPath,
      // About 2 minutes of retries (backoff 200 ms to 1 s), for a slow restart under load.
      worker: {
        retry: {
          maxAttempts: 120,
          initialBackoff: { milliseconds: 200 },
          maxBackoff: { seconds: 1 },
        },
      },
    });

    const ids = await file(4, backend);
    await sleep(randomInt(0, 200));
    await own.killApiServer();
    ids.push(...(await file(4, backend)));
    await sleep(4_000);
    const during = await details(backend, ids);
    expect(during.filter(r => r.state === 'failed')).toEqual([]);
    const waiting = during.filter(r => r.state === 'provisioning');
    expect(waiting.length).toBeGreaterThan(0);
    expect(
      waiting.some(r => r.timeline.some(e => e.type === 'retry-scheduled')),
    ).toBe(true);

    await own.up();
    const requests = await settle(backend, ids, 90_000);
    expect(requests.map(r => r.state)).toEqual(ids.map(() => 'ready'));
    const ownAdmin = new KubeConfig();
    ownAdmin.loadFromFile(own.adminKubeconfigPath);
    await expectSettledWithoutDuplicates(
      requests,
      `${pgUrl}/postgres`,
      ownAdmin,
    );
    await backend.stop();
    await own.purge();
    clusters.pop();
  });

  it('[fault] 50 concurrent requests against two backend processes sharing one queue: 50 databases, each operation ran once', async () => {
    const prefix = `${RUN}_pair_`;
    const first = await start('pair-1', { prefix });
    const second = await start('pair-2', { prefix });

    const ids = await file(50, first, second);
    const requests = await settle(first, ids, 90_000);
    expect(requests.map(r => r.state)).toEqual(ids.map(() => 'ready'));
    await expectSettledWithoutDuplicates(requests, `${pgUrl}/postgres`);
    expect(new Set(requests.map(r => r.outputs.database)).size).toBe(50);

    const workers = new Set<string>();
    for (const r of requests) {
      expect(r.operations.map(o => [o.kind, o.status])).toEqual([
        ['provision', 'succeeded'],
      ]);
      const count = (type: string) =>
        r.timeline.filter(e => e.type === type).length;
      // One run per attempt: a step starts again only after a retry was scheduled.
      expect({ id: r.id, started: count('step-started') }).toEqual({
        id: r.id,
        started: count('retry-scheduled') + 1,
      });
      expect(count('ready')).toBe(1);
      r.timeline
        .filter(e => e.actor?.startsWith('worker:'))
        .forEach(e => workers.add(e.actor!));
    }
    // Both processes took work from the shared queue.
    expect(workers.size).toBe(2);
  });
});
