#!/usr/bin/env node
/*
 * Benchmark: a request, from POST /requests until the request is ready and its Secret
 * exists (read as the cluster admin), through a real backend process
 * (packages/provisioning-chaos/src/backend.ts) with the worker's default settings, for
 * three resource types: postgres, rabbitmq-queue and s3-bucket.
 * Baseline, measured in the same run on the same servers, for each: the raw work the
 * request stands for, done directly, so the figures are reported as ratios against it:
 * - postgres: CREATE ROLE x2 + CREATE DATABASE + COMMENTs + the Secret by server-side apply;
 * - rabbitmq-queue: the management API's PUT vhost, PUT queue, PUT policy, PUT user
 *   (password hash), the Secret, PUT permissions, and the queue's PrometheusRule when the
 *   cluster serves the CRD (the type's writes, in its order);
 * - s3-bucket: CreateBucket, PutBucketTagging, versitygw's admin create-user,
 *   PutBucketPolicy and the Secret.
 *
 * Two times per request: the client's (POST until it reads `ready` and then the Secret,
 * polling GET /requests/:id every --poll-ms) and the server's own (the request's
 * createdAt until its `ready` event, from its timeline), which no poll interval skews.
 *
 * Needs: BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL),
 * PAVED_TEST_KUBECONFIG and PAVED_TEST_PORTAL_KUBECONFIG, and for the queue and bucket
 * rows PAVED_TEST_RABBITMQ_* and PAVED_TEST_S3_*; bench/provisioning.sh starts
 * throwaway ones. Options: --count N (default 30), --concurrency C (default 5),
 * --poll-ms M (default 25), --types postgres,queue,bucket (default all three).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  requireChaos,
  serverTime,
  startBackend,
  until,
} from './lib/backend.mjs';
import { lineWriter, loadavg, timed as timedRuns } from './lib/figures.mjs';
import {
  PG,
  adminKc,
  deleteRunVhosts,
  dropRunDatabases,
  kubeConfig,
  missingVariables,
  portalKc,
  rabbitmqApi,
  rabbitmqServer,
  s3Server,
} from './lib/servers.mjs';

const { Client, escapeIdentifier: ident, escapeLiteral } = requireChaos('pg');
const k8s = await import(requireChaos.resolve('@kubernetes/client-node'));
const s3sdk = requireChaos('@aws-sdk/client-s3');
const { SignatureV4 } = requireChaos('@smithy/signature-v4');
const { Sha256 } = requireChaos('@aws-crypto/sha256-js');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 30);
const CONCURRENCY = arg('concurrency', 5);
// Each waiting client polls this often. Every 10 ms, 5 clients kept the backend they
// measure busy answering polls (on 2 cores); the interval adds half itself on average
// to the client's time, which is why the server's own time is printed too.
const POLL_MS = arg('poll-ms', 25);
const typesArg = process.argv.indexOf('--types');
const TYPES = (
  typesArg > 0 ? process.argv[typesArg + 1] : 'postgres,queue,bucket'
).split(',');

const missing = missingVariables({
  rabbitmq: TYPES.includes('queue'),
  s3: TYPES.includes('bucket'),
});
const unknown = TYPES.filter(t => !['postgres', 'queue', 'bucket'].includes(t));
if (missing.length > 0 || unknown.length > 0) {
  console.error(
    unknown.length > 0
      ? `--types: unknown ${unknown.join(
          ', ',
        )}; choose from postgres,queue,bucket`
      : `Needs ${missing.join(
          ', ',
        )}; use bench/provisioning.sh (yarn bench:provisioning)`,
  );
  process.exit(2);
}
const RUN = `b${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
// The owner's namespace (teamNamespace drops the `-team`): the engine's Secrets and the
// baselines' go to the same one, and the clean-up deletes it.
const NAMESPACE = `team-${RUN}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));

const adminCore = kubeConfig(adminKc).makeApiClient(k8s.CoreV1Api);
const portalObjects = k8s.KubernetesObjectApi.makeApiClient(
  kubeConfig(portalKc),
);

/** The broker and the S3 server, as packages/provisioning-chaos/src/config.ts takes them. */
const RABBITMQ = TYPES.includes('queue') && rabbitmqServer();
const S3 = TYPES.includes('bucket') && s3Server();

/** Runs `fn(i)` COUNT times, `concurrency` at a time (lib/figures.mjs). */
const timed = (concurrency, fn) => timedRuns(COUNT, concurrency, fn);

/** A Secret (or any object) by server-side apply, as the portal's identity. */
const apply = body =>
  portalObjects.patch(
    body,
    undefined,
    undefined,
    'paved-bench',
    undefined,
    k8s.PatchStrategy.ServerSideApply,
  );
const applySecret = (name, stringData) =>
  apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: NAMESPACE },
    stringData,
  });

// ---------------------------------------------------------------- baseline: raw work
let baselineCounter = 0;
async function rawProvision(concurrencyLabel) {
  const db = `${RUN}_raw_${concurrencyLabel}_${++baselineCounter}`;
  const marker = escapeLiteral(`paved:request:${db}`);
  const password = randomBytes(32).toString('base64url');
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    await client.query(
      `CREATE ROLE ${ident(
        `${db}_rw`,
      )} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 10 PASSWORD ${escapeLiteral(
        password,
      )}`,
    );
    await client.query(`COMMENT ON ROLE ${ident(`${db}_rw`)} IS ${marker}`);
    await client.query(`CREATE ROLE ${ident(`${db}_ro`)} NOLOGIN`);
    await client.query(`COMMENT ON ROLE ${ident(`${db}_ro`)} IS ${marker}`);
    await client.query(
      `CREATE DATABASE ${ident(db)} OWNER ${ident(`${db}_rw`)}`,
    );
    await client.query(`COMMENT ON DATABASE ${ident(db)} IS ${marker}`);
  } finally {
    await client.end();
  }
  await applySecret(`${db.replace(/_/g, '-')}-postgres`, {
    user: `${db}_rw`,
    password,
    database: db,
  });
}

/** A call of the management API as the administrator (fetch, as the type's client). */
const rabbitmq = RABBITMQ && rabbitmqApi(RABBITMQ);

/** Whether the cluster serves PrometheusRule: the queue type applies one when it does. */
let prometheusRules = false;

/** The queue type's writes, in its order, for a queue `orders` with a max length. */
async function rawQueue(label) {
  const name = `${RUN}-q${label}${++baselineCounter}`;
  const v = encodeURIComponent(name);
  await rabbitmq('PUT', `/api/vhosts/${v}`, {
    description: `paved:request:${name}`,
    tags: 'paved',
  });
  await rabbitmq('PUT', `/api/queues/${v}/orders`, {
    durable: true,
    auto_delete: false,
    arguments: {},
  });
  await rabbitmq('PUT', `/api/policies/${v}/paved-limits-orders`, {
    pattern: '^orders$',
    definition: { 'max-length': 1000 },
    priority: 0,
    'apply-to': 'queues',
  });
  const password = randomBytes(32).toString('base64url');
  const salt = randomBytes(4);
  await rabbitmq('PUT', `/api/users/${v}`, {
    password_hash: Buffer.concat([
      salt,
      createHash('sha256').update(salt).update(password).digest(),
    ]).toString('base64'),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
    tags: '',
  });
  await applySecret(`${name}-amqp`, {
    host: '127.0.0.1',
    port: String(RABBITMQ.amqpPort),
    vhost: name,
    user: name,
    password,
    uri: `amqp://${v}:${password}@127.0.0.1:${RABBITMQ.amqpPort}/${v}`,
  });
  await rabbitmq('PUT', `/api/permissions/${v}/${v}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  if (prometheusRules) {
    await apply({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: `${name}-rabbitmq-alerts`, namespace: NAMESPACE },
      spec: {
        groups: [
          {
            name: `paved-rabbitmq-${name}`,
            rules: ['RabbitmqQueueBacklog', 'RabbitmqQueueNoConsumers'].map(
              alert => ({
                alert,
                expr: `sum by (vhost, queue) (rabbitmq_queue_messages_ready{vhost="${name}",queue="orders"}) > 1000`,
                for: '10m',
                labels: { severity: 'warning', vhost: name, queue: 'orders' },
                annotations: { summary: `Queue orders in vhost ${name}` },
              }),
            ),
          },
        ],
      },
    });
  }
}

const s3 =
  S3 &&
  new s3sdk.S3Client({
    endpoint: S3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: S3.accessKeyId,
      secretAccessKey: S3.secretAccessKey,
    },
  });

/** A call of versitygw's admin API, signed with the root key (as `versitygw admin`). */
async function versitygwAdmin(action, query, body = '') {
  const url = new URL(`${S3.adminEndpoint}/${action}`);
  for (const [key, value] of Object.entries(query)) {
    url.searchParams.set(key, value);
  }
  const signed = await new SignatureV4({
    credentials: {
      accessKeyId: S3.accessKeyId,
      secretAccessKey: S3.secretAccessKey,
    },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
  }).sign({
    method: 'PATCH',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: {
      host: url.host,
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, {
    method: 'PATCH',
    headers,
    body: body || undefined,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${action}: HTTP ${response.status} ${text}`);
  }
  return text;
}

/** Accounts made on the S3 server, deleted at the end. */
const s3Accounts = [];

/** The bucket type's writes, in its order: bucket, tag, account, policy, Secret. */
async function rawBucket(label) {
  const bucket = `${RUN}-b${label}${++baselineCounter}`;
  await s3.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new s3sdk.PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: { TagSet: [{ Key: 'paved.dev/request-id', Value: bucket }] },
    }),
  );
  const access = `PVDBENCH${randomBytes(6).toString('hex').toUpperCase()}`;
  const secret = randomBytes(32).toString('base64url');
  await versitygwAdmin(
    'create-user',
    {},
    `<Account><Access>${access}</Access><Secret>${secret}</Secret><Role>user</Role><UserID>0</UserID><GroupID>0</GroupID><ProjectID>0</ProjectID></Account>`,
  );
  s3Accounts.push(access);
  await s3.send(
    new s3sdk.PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: `PavedReadWrite${access}`,
            Effect: 'Allow',
            Principal: { AWS: [access] },
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
        ],
      }),
    }),
  );
  await applySecret(`${bucket}-s3`, {
    AWS_ENDPOINT_URL: S3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: access,
    AWS_SECRET_ACCESS_KEY: secret,
    BUCKET: bucket,
    S3_FORCE_PATH_STYLE: 'true',
  });
}

/** Each type: what a request of it asks for, and its baseline. */
const KINDS = {
  postgres: {
    type: 'postgres',
    parameters: {},
    baseline: 'direct SQL + SSA',
    raw: rawProvision,
  },
  queue: {
    type: 'rabbitmq-queue',
    parameters: { queues: [{ name: 'orders', maxLength: 1000 }] },
    baseline: 'management API + SSA',
    raw: rawQueue,
  },
  bucket: {
    type: 's3-bucket',
    parameters: { versioning: false },
    baseline: 'S3 + admin API + SSA',
    raw: rawBucket,
  },
};

// ---------------------------------------------------------------- the engine
let engineCounter = 0;
/** One request until its Secret is readable; returns the server's own time (ms). */
async function engineProvision(api, kind) {
  const name = `${RUN}-e${++engineCounter}`;
  const { id } = await api('POST', '/requests', {
    type: kind.type,
    name,
    owner: OWNER,
    parameters: kind.parameters,
  });
  return until(api, id, POLL_MS, async request => {
    if (request.state !== 'ready') return undefined;
    const { secretName, secretNamespace, accessKeyId } = request.outputs;
    if (accessKeyId) {
      s3Accounts.push(accessKeyId);
    }
    await adminCore.readNamespacedSecret({
      name: secretName,
      namespace: secretNamespace,
    });
    return serverTime(request);
  });
}

async function cleanup(child) {
  child?.kill('SIGTERM');
  await adminCore.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await dropRunDatabases(RUN);
  if (RABBITMQ) {
    await deleteRunVhosts(rabbitmq, RUN);
  }
  if (S3) {
    const { Buckets } = await s3.send(new s3sdk.ListBucketsCommand({}));
    for (const { Name } of Buckets ?? []) {
      if (Name?.startsWith(RUN)) {
        await s3.send(new s3sdk.DeleteBucketCommand({ Bucket: Name }));
      }
    }
    for (const access of s3Accounts) {
      await versitygwAdmin('delete-user', { access }).catch(() => undefined);
    }
    s3.destroy();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

const line = lineWriter({ width: 50, digits: 1 });

let backend;
try {
  await adminCore.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  prometheusRules = await k8s.KubernetesObjectApi.makeApiClient(
    kubeConfig(adminKc),
  )
    .list('monitoring.coreos.com/v1', 'PrometheusRule', NAMESPACE)
    .then(
      () => true,
      () => false,
    );
  // Idle while the baselines run: its worker only polls.
  backend = await startBackend({
    tmp,
    pg: PG,
    run: RUN,
    kubeconfig: portalKc,
    env: {
      ...(RABBITMQ ? { PAVED_CHAOS_RABBITMQ: JSON.stringify(RABBITMQ) } : {}),
      ...(S3 ? { PAVED_CHAOS_S3: JSON.stringify(S3) } : {}),
    },
  });
  console.log(
    `request -> Secret ready, ${COUNT} requests each, ${
      os.cpus().length
    } cores, load average ${loadavg()}, clients poll every ${POLL_MS} ms`,
  );
  const goals = [];
  for (const name of TYPES) {
    const kind = KINDS[name];
    // Warm-up (connections, first Secret), not measured; the baseline and the engine
    // of one type run back to back, so that both see the same load.
    await kind.raw('warm');
    const rawSeq = await timed(1, () => kind.raw('seq'));
    const rawConc = await timed(CONCURRENCY, () => kind.raw('conc'));
    await engineProvision(backend.api, kind);
    const engSeq = await timed(1, () => engineProvision(backend.api, kind));
    const engConc = await timed(CONCURRENCY, () =>
      engineProvision(backend.api, kind),
    );
    console.log(kind.type);
    line(`baseline (${kind.baseline}), sequential`, rawSeq);
    line(`baseline (${kind.baseline}), ${CONCURRENCY} at a time`, rawConc);
    line('provisioning API, sequential', engSeq, rawSeq);
    line(`provisioning API, ${CONCURRENCY} at a time`, engConc, rawConc);
    line(
      '  server only (createdAt -> ready), sequential',
      engSeq.server,
      rawSeq,
    );
    line(
      `  server only (createdAt -> ready), ${CONCURRENCY} at a time`,
      engConc.server,
      rawConc,
    );
    const overhead = Math.max(
      engSeq.p50 / rawSeq.p50,
      engConc.p50 / rawConc.p50,
    );
    const serverOverhead = Math.max(
      engSeq.server.p50 / rawSeq.p50,
      engConc.server.p50 / rawConc.p50,
    );
    goals.push(
      `  ${kind.type.padEnd(15)} p95 ${engConc.p95.toFixed(
        0,
      )} ms at ${CONCURRENCY} at a time (${
        engConc.p95 <= 1000 ? 'met' : 'NOT met'
      }), p50 up to x${overhead.toFixed(1)} the baseline (${
        overhead <= 3 ? 'met' : 'NOT met'
      }); server only: p95 ${engConc.server.p95.toFixed(
        0,
      )} ms, p50 up to x${serverOverhead.toFixed(1)}`,
    );
  }
  console.log(
    `goals (client's times): p95 <= 1000 ms at ${CONCURRENCY} at a time; p50 <= 3x the baseline, sequential and ${CONCURRENCY} at a time`,
  );
  goals.forEach(g => console.log(g));
} finally {
  await cleanup(backend?.child);
}
