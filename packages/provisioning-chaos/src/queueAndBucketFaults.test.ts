/*
 * Fault tests of the rabbitmq-queue and s3-bucket types: a real backend process
 * (./backend.ts, with their modules) SIGKILLed while queue and bucket requests are
 * provisioned and deleted, and a broker and an S3 server of the test's own stopped for
 * a few seconds. Against the test run's PostgreSQL, Kubernetes test cluster, RabbitMQ
 * and S3 server; fails (never skips) without them.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { requireTestCluster } from '@paved/kube-test-utils';
import type { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { requireTestRabbitmq, requireTestS3 } from '@paved/test-utils';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { ChaosRun, requirePostgresUrl } from './__testUtils__/ChaosRun';
import { RabbitmqServer, S3Server } from './config';
import {
  bucketFootprints,
  deleteVersitygwAccount,
  putAndGetWithSecret,
  removeBuckets,
  versitygwAccounts,
} from './inspectBuckets';
import {
  publishWithSecret,
  queueFootprints,
  removeVhostsAndUsers,
  usersNamed,
} from './inspectQueues';
import { PrivateRabbitmq } from './PrivateRabbitmq';
import { PrivateS3 } from './PrivateS3';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Two queues, one with limits and a dead-letter queue (so a policy too). */
const QUEUE = {
  type: 'rabbitmq-queue',
  parameters: {
    queues: [
      { name: 'orders', deadLetter: true, maxLength: 1000 },
      { name: 'events' },
    ],
  },
};
const QUEUES_MADE = ['events', 'orders', 'orders.dlq'];
const BUCKET = { type: 's3-bucket', parameters: { versioning: false } };
/** A round of requests: queues and buckets, interleaved. */
const ROUND = [QUEUE, BUCKET, QUEUE, BUCKET];

type Details = ProvisioningRequestDetails;
const ofType = (requests: Details[], type: string) =>
  requests.filter(r => r.type === type);
/** `[id, state]`, with the reason when it failed, so that a failure says why. */
const outcome = (r: Details) => [
  r.id,
  r.state === 'failed' ? `failed: ${r.lastError}` : r.state,
];
const secretOf = (r: Details) => ({
  namespace: String(r.outputs.secretNamespace),
  name: String(r.outputs.secretName),
});

describe('queues and buckets under faults [fault]', () => {
  const pgUrl = requirePostgresUrl();
  const cluster = requireTestCluster();
  const admin = cluster.kubeConfig;
  const sharedRabbitmq: RabbitmqServer = requireTestRabbitmq();
  const sharedS3: S3Server = requireTestS3();
  const run = new ChaosRun({
    pgUrl,
    kubeconfig: cluster.portalKubeconfigPath,
  });
  const names = `${run.id}-`;
  // Servers of the stop test's own: the run's shared ones stay up for the others.
  const ownRabbitmq = new PrivateRabbitmq(path.join(run.tmp, 'rabbitmq'));
  const ownS3 = new PrivateS3(path.join(run.tmp, 's3'));
  /** Started while the first test runs: each takes seconds to come up. */
  let ownServers: Promise<[RabbitmqServer, S3Server]>;
  /** Access keys made on the shared S3 server, for the clean-up. */
  const sharedKeys = new Set<string>();

  /**
   * Every ready queue request has one vhost (its own), one user (with permissions on
   * it alone), its queues and one Secret whose URI publishes; a deleted one has
   * nothing left; and the broker has no other user of this run (none orphaned by a
   * crash, none made twice).
   */
  const expectQueues = async (
    server: RabbitmqServer,
    ready: Details[],
    deleted: Details[] = [],
  ) => {
    const found = await queueFootprints(
      server,
      admin,
      [...ready, ...deleted].map(r => r.id),
    );
    for (const r of ready) {
      const { namespace, name } = secretOf(r);
      const footprint = found.get(r.id)!;
      expect({
        id: r.id,
        ...footprint,
        queues: footprint.queues.sort(),
      }).toEqual({
        id: r.id,
        vhosts: [r.name],
        users: [r.name],
        queues: QUEUES_MADE.map(q => `${r.name}/${q}`),
        secrets: [`${namespace}/${name}`],
      });
      expect([r.outputs.vhost, r.outputs.user]).toEqual([r.name, r.name]);
      await expect(
        publishWithSecret(admin, { namespace, name }, 'orders'),
      ).resolves.toBe(`hello ${name}`);
    }
    for (const r of deleted) {
      expect({ id: r.id, ...found.get(r.id) }).toEqual({
        id: r.id,
        vhosts: [],
        users: [],
        queues: [],
        secrets: [],
      });
    }
    expect((await usersNamed(server, names)).sort()).toEqual(
      ready.map(r => r.name).sort(),
    );
  };

  /**
   * Every ready bucket request has one bucket (tagged with its id), whose policy
   * grants one key, the one in its Secret, which puts and gets; a deleted one's
   * bucket is kept (tagged deleted) granting nobody, its key and Secret gone. With
   * `onlyThese`, the server has no account but the ready requests' keys.
   */
  const expectBuckets = async (
    server: S3Server,
    ready: Details[],
    deleted: Details[] = [],
    onlyThese = false,
  ) => {
    const found = await bucketFootprints(
      server,
      admin,
      names,
      [...ready, ...deleted].map(r => r.id),
    );
    const accounts = await versitygwAccounts(server);
    for (const r of ready) {
      const { namespace, name } = secretOf(r);
      const key = String(r.outputs.accessKeyId);
      expect({ id: r.id, ...found.get(r.id) }).toEqual({
        id: r.id,
        buckets: [r.name],
        deleted: false,
        grantees: [key],
        secrets: [`${namespace}/${name}`],
      });
      expect(accounts).toContain(key);
      await expect(
        putAndGetWithSecret(admin, { namespace, name }),
      ).resolves.toEqual({ text: `hello ${name}`, accessKeyId: key });
    }
    for (const r of deleted) {
      expect({ id: r.id, ...found.get(r.id) }).toEqual({
        id: r.id,
        buckets: [r.name],
        deleted: true,
        grantees: [],
        secrets: [],
      });
      expect(accounts).not.toContain(String(r.outputs.accessKeyId));
    }
    if (onlyThese) {
      expect(accounts.sort()).toEqual(
        ready.map(r => String(r.outputs.accessKeyId)).sort(),
      );
    }
  };

  beforeAll(() => {
    ownServers = Promise.all([ownRabbitmq.up(), ownS3.up()]);
    // Awaited by the stop test; a failure to start is its failure, not an unhandled one.
    ownServers.catch(() => undefined);
  });

  afterAll(async () => {
    await run.stopBackends();
    await ownServers.catch(() => undefined);
    await Promise.all(
      [ownRabbitmq, ownS3].map(server => server.purge().catch(() => undefined)),
    );
    await removeVhostsAndUsers(sharedRabbitmq, names).catch(() => undefined);
    await removeBuckets(sharedS3, names).catch(() => undefined);
    for (const key of sharedKeys) {
      await deleteVersitygwAccount(sharedS3, key).catch(() => undefined);
    }
    await admin
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: run.namespace })
      .catch(() => undefined);
    run.removeTmp();
  });

  it('[fault] SIGKILL at random points while queue and bucket requests are provisioned and deleted: every request ends ready or deleted, nothing twice, every Secret works', async () => {
    const backend = await run.start('qb-kill', {
      rabbitmq: sharedRabbitmq,
      s3: sharedS3,
    });
    const kept: string[] = [];
    const deleting: string[] = [];
    /** Files a round, SIGKILLs the backend after a random while, restarts it. */
    const fileAndKill = async () => {
      const ids = await run.file(ROUND, backend);
      kept.push(...ids);
      await sleep(randomInt(0, 400));
      await backend.kill();
      await backend.restart();
      return ids;
    };
    let previous = await fileAndKill();
    for (let round = 1; round < 3; round++) {
      // The last round's queue and bucket requests, once ready, are deleted while
      // this round's are provisioned, so that the kill may land in either.
      const settled = await run.settle(backend, previous);
      expect(settled.map(outcome)).toEqual(previous.map(id => [id, 'ready']));
      for (const id of [previous[0], previous[1]]) {
        await backend.api('DELETE', `/requests/${id}`);
        deleting.push(id);
        kept.splice(kept.indexOf(id), 1);
      }
      previous = await fileAndKill();
    }

    const ready = await run.settle(backend, kept);
    const deleted = await run.settle(backend, deleting, {
      states: ['deleted', 'failed'],
    });
    [...ready, ...deleted]
      .filter(r => r.outputs.accessKeyId)
      .forEach(r => sharedKeys.add(String(r.outputs.accessKeyId)));
    expect(ready.map(outcome)).toEqual(kept.map(id => [id, 'ready']));
    expect(deleted.map(outcome)).toEqual(deleting.map(id => [id, 'deleted']));
    expect(ready).toHaveLength(8);
    expect(deleted).toHaveLength(4);
    await expectQueues(
      sharedRabbitmq,
      ofType(ready, QUEUE.type),
      ofType(deleted, QUEUE.type),
    );
    await expectBuckets(
      sharedS3,
      ofType(ready, BUCKET.type),
      ofType(deleted, BUCKET.type),
    );
    // Its work is done; a graceful shutdown would only cost seconds.
    await backend.kill();
  });

  it('[fault] the broker and the S3 server stopped for a few seconds: queue and bucket requests retry and end ready once they are back', async () => {
    const [rabbitmq, s3] = await ownServers;
    const backend = await run.start('qb-down', {
      rabbitmq,
      s3,
      // About 2 minutes of retries (backoff 200 ms to 1 s), for a slow restart under load.
      worker: {
        retry: {
          maxAttempts: 120,
          initialBackoff: { milliseconds: 200 },
          maxBackoff: { seconds: 1 },
        },
      },
    });

    const ids = await run.file(ROUND, backend);
    await sleep(randomInt(0, 200));
    await Promise.all([ownRabbitmq.pause(), ownS3.pause()]);
    ids.push(...(await run.file(ROUND, backend)));
    await sleep(2_000);
    const during = await run.details(backend, ids);
    expect(during.filter(r => r.state === 'failed')).toEqual([]);
    const waiting = during.filter(r => r.state === 'provisioning');
    // Both kinds wait: the broker's and the S3 server's outage each hold requests back.
    expect(
      [QUEUE.type, BUCKET.type].map(type =>
        waiting.some(
          r =>
            r.type === type &&
            r.timeline.some(e => e.type === 'retry-scheduled'),
        ),
      ),
    ).toEqual([true, true]);

    await Promise.all([ownRabbitmq.resume(), ownS3.resume()]);
    const requests = await run.settle(backend, ids, { timeoutMs: 90_000 });
    expect(requests.map(outcome)).toEqual(ids.map(id => [id, 'ready']));
    await expectQueues(rabbitmq, ofType(requests, QUEUE.type));
    await expectBuckets(s3, ofType(requests, BUCKET.type), [], true);
    // Its work is done; a graceful shutdown would only cost seconds.
    await backend.kill();
  });
});
