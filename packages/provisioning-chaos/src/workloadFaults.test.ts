/*
 * Fault tests of the workload type (Score deployments): a real backend process
 * (./backend.ts with the environments and score modules) SIGKILLed in the middle of
 * a workload's first deployment, and a second deployment racing a running one.
 * Against the test run's PostgreSQL and Kubernetes test cluster (kwok nodes run the
 * pods); fails (never skips) without them.
 */
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { requireTestCluster } from '@paved/kube-test-utils';
import type {
  ProvisioningRequest,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';
import { workloadRequestName } from '@paved/plugin-provisioning-backend-module-score';
import { waitFor } from '@paved/test-utils';
import { escapeIdentifier as ident } from 'pg';
import { BackendProcess } from './BackendProcess';
import { ChaosRun, requirePostgresUrl } from './__testUtils__/ChaosRun';
import { footprints, withClient } from './inspect';

jest.setTimeout(90_000);

type Details = ProvisioningRequestDetails;

describe('workload deployments under faults [fault]', () => {
  const pgUrl = requirePostgresUrl();
  const cluster = requireTestCluster();
  const admin = cluster.kubeConfig;
  const core = admin.makeApiClient(CoreV1Api);
  const apps = admin.makeApiClient(AppsV1Api);
  const run = new ChaosRun({
    pgUrl,
    kubeconfig: cluster.portalKubeconfigPath,
  });
  const environment = `${run.id}-env`;
  const workloadName = `${run.id}-orders`;
  const component = `component:default/${workloadName}`;

  /** A Score workload with a service port and a database whose host and password it uses. */
  const scoreWorkload = {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: workloadName },
    service: { ports: { http: { port: 8080 } } },
    containers: {
      main: {
        image: '.',
        variables: {
          DATABASE_HOST: '${resources.db.host}',
          DATABASE_PASSWORD: '${resources.db.password}',
        },
      },
    },
    resources: { db: { type: 'postgres' } },
  };

  /** The run's postgres requests, in every state (a duplicate would show here). */
  const databaseRequests = async (backend: BackendProcess) =>
    (
      await backend.api<{ items: ProvisioningRequest[] }>(
        'GET',
        `/requests?type=postgres&owner=${encodeURIComponent(run.owner)}`,
      )
    ).items;

  /** The live pods of the environment's namespace, as `phase image`. */
  const pods = async () =>
    (await core.listNamespacedPod({ namespace: environment })).items
      .filter(pod => !pod.metadata?.deletionTimestamp)
      .map(pod => `${pod.status?.phase} ${pod.spec?.containers[0]?.image}`);

  afterAll(async () => {
    await run.stopBackends();
    await core.deleteNamespace({ name: environment }).catch(() => undefined);
    await withClient(`${pgUrl}/postgres`, async client => {
      const dbs = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${run.id}%`],
      );
      for (const { datname } of dbs.rows) {
        await client.query(
          `DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`,
        );
      }
      const roles = await client.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
        [`${run.id}%`],
      );
      for (const { rolname } of roles.rows) {
        await client.query(`DROP ROLE IF EXISTS ${ident(rolname)}`);
      }
    }).catch(() => undefined);
    run.removeTmp();
  });

  it('[fault] SIGKILL in the middle of a first deployment: a new process resumes it, ready with one database and running pods; a racing deploy gets 409', async () => {
    const backend = await run.start('workload', { score: true });
    const { id: environmentId } = await backend.api('POST', '/requests', {
      type: 'environment',
      name: environment,
      owner: run.owner,
      parameters: { size: 'small', expires: true, ttlHours: 1 },
    });
    await run.settle(backend, [environmentId], { states: ['ready'] });

    const { id } = await backend.api('POST', '/requests', {
      type: 'workload',
      name: workloadRequestName(workloadName, environment),
      owner: run.owner,
      parameters: {
        component,
        environmentName: environment,
        image: 'registry.test/orders:1',
        workload: scoreWorkload,
      },
    });
    // The kill lands once the step has asked for the database: between making it
    // and wiring it in, where a resumed step could make a second one.
    const seenAtKill = await waitFor(
      'the workload to request its database',
      async () => {
        const made = await databaseRequests(backend);
        return made.length > 0 ? made.map(r => r.state) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await backend.kill();
    const atKill = await withClient(
      `${pgUrl}/${run.id}_workload_provisioning`,
      async client =>
        (
          await client.query<{ status: string }>(
            'SELECT status FROM provisioning_operations WHERE request_id = $1',
            [id],
          )
        ).rows.map(r => r.status),
    );
    // The workload's operation was cut off, not finished, when the process died.
    expect({ seenAtKill, atKill }).toEqual({
      seenAtKill: expect.any(Array),
      atKill: [expect.stringMatching(/^(queued|running)$/)],
    });

    await backend.restart();
    const [workload] = await run.settle(backend, [id], { timeoutMs: 45_000 });
    expect([workload.state, workload.lastError]).toEqual(['ready', undefined]);
    // Resumed by the new process's worker, not started afresh.
    const events = workload.timeline.map(e => e.type);
    expect(events).toEqual([
      'requested',
      'step-started',
      'resumed',
      'step-started',
      'ready',
    ]);
    const actors = workload.timeline.map(e => e.actor);
    expect(actors[4]).toBe(actors[2]);
    expect(actors[4]).not.toBe(actors[1]);

    // Exactly one database request, the one wired in, and one database on the server.
    const databases = await databaseRequests(backend);
    const wired = workload.outputs.resources as Record<string, string>;
    expect(databases.map(r => [r.id, r.state])).toEqual([[wired.db, 'ready']]);
    const [database] = databases;
    const found = (
      await footprints(`${pgUrl}/postgres`, admin, [database.id])
    ).get(database.id)!;
    expect([found.databases.length, found.secrets.length]).toEqual([1, 1]);
    const marked = await withClient(`${pgUrl}/postgres`, async client =>
      (
        await client.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname LIKE $1 AND shobj_description(oid, 'pg_database') LIKE 'paved:request:%'`,
          [`${run.id}%`],
        )
      ).rows.map(r => r.datname),
    );
    expect(marked).toEqual(found.databases);

    // The Deployment reads the password from the database's Secret; its pod runs.
    const deployment = await apps.readNamespacedDeployment({
      name: workloadName,
      namespace: environment,
    });
    const variables = deployment.spec!.template.spec!.containers[0].env ?? [];
    expect(
      variables.find(v => v.name === 'DATABASE_PASSWORD')?.valueFrom
        ?.secretKeyRef,
    ).toEqual({
      name: String(
        (await backend.api<Details>('GET', `/requests/${database.id}`)).outputs
          .secretName,
      ),
      key: 'password',
    });
    expect(await pods()).toEqual(['Running registry.test/orders:1']);

    // A second deploy while one runs is refused: one operation at a time per request.
    const version = (image: string) => ({
      input: { image, workload: scoreWorkload },
    });
    const first = await backend.api(
      'POST',
      `/requests/${id}/actions/deploy`,
      version('registry.test/orders:2'),
    );
    await expect(
      backend.api(
        'POST',
        `/requests/${id}/actions/deploy`,
        version('registry.test/orders:3'),
      ),
    ).rejects.toThrow(/HTTP 409/);
    // So is a second workload request for the same workload and environment.
    await expect(
      backend.api('POST', '/requests', {
        type: 'workload',
        name: workloadRequestName(workloadName, environment),
        owner: run.owner,
        parameters: {
          component,
          environmentName: environment,
          image: 'registry.test/orders:3',
          workload: scoreWorkload,
        },
      }),
    ).rejects.toThrow(/HTTP 409/);

    const deployed = await waitFor(
      'the first deploy to finish',
      async () => {
        const r = await backend.api<Details>('GET', `/requests/${id}`);
        const operation = r.operations.find(o => o.id === first.id);
        return operation?.status === 'succeeded' ||
          operation?.status === 'failed'
          ? { status: operation.status, error: operation.lastError }
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(deployed).toEqual({ status: 'succeeded', error: undefined });
    expect(await pods()).toEqual(['Running registry.test/orders:2']);
    expect((await databaseRequests(backend)).map(r => r.id)).toEqual([
      database.id,
    ]);
    await backend.stop();
  });
});
