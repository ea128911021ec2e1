/*
 * The rabbitmq-queue resource type end to end: the real provisioning plugin (HTTP
 * API, worker, its tables on PostgreSQL), this module, the test run's RabbitMQ broker
 * and the real Kubernetes API server, written to as the portal's RBAC-limited
 * identity; applications are played by amqplib with the Secret's uri. Needs what
 * ./paved test starts; fails (never skips) without it.
 */
import {
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  installPrometheusRuleCrd,
  portalKubernetesConfig,
  readSecret as readSecretWith,
  requireTestCluster,
  secretStatus,
  statusCodeOf,
  TestCluster,
  waitFor,
} from '@paved/kube-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  expectDocumentedParameters,
  expectRequestSecret,
  provisioningApi,
  provisioningTestBackend,
} from '@paved/test-utils';
import { testBroker } from './__testUtils__/testBroker';
import provisioningModuleRabbitmq from './index';
import { rabbitmqPasswordHash } from './passwordHash';

jest.setTimeout(60_000);

const b = testBroker();
const { RUN } = b;
const OWNER = `group:default/${RUN}-team`;
const NAMESPACE = `team-${RUN}`;
const OTHER_OWNER = `group:default/${RUN}-other-team`;
const OTHER_NAMESPACE = `team-${RUN}-other`;
const BOB = 'user:default/bob';

describe('the rabbitmq-queue resource type on a real broker and Kubernetes API', () => {
  const engine = provisioningTestBackend();
  const { scheduler } = engine;
  const passwords = new Set<string>();
  let cluster: TestCluster;
  let core: CoreV1Api;

  beforeAll(async () => {
    cluster = requireTestCluster();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await installPrometheusRuleCrd(cluster.kubeConfig);
    await engine.start({
      features: [provisioningPlugin, provisioningModuleRabbitmq],
      config: {
        app: { baseUrl: 'https://portal.example.com' },
        provisioning: {
          rabbitmq: {
            ...b.config,
            backlogAlertThreshold: 500,
            kubernetes: portalKubernetesConfig(cluster),
          },
        },
      },
    });
  });

  afterAll(async () => {
    await b.cleanup();
    for (const name of [NAMESPACE, OTHER_NAMESPACE]) {
      await core?.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  const {
    api,
    waitForState,
    waitForIdle,
    listedType,
    expectRefused,
    requestsOf,
  } = provisioningApi(engine.server, BOB);
  const {
    body: requestBody,
    create,
    ids: requestIds,
  } = requestsOf('rabbitmq-queue', OWNER);

  async function runAction(id: string, action: string, input?: object) {
    const queued = await api('post', `/requests/${id}/actions/${action}`).send(
      input ? { input } : {},
    );
    expect(queued.body.error?.message).toBeUndefined();
    expect(queued.status).toBe(202);
    return waitForIdle(id);
  }

  /** The Secret as an app would mount it, read with the admin identity. */
  async function readSecret(name: string, namespace = NAMESPACE) {
    const read = await readSecretWith(cluster.kubeConfig, name, namespace);
    passwords.add(read.data.password);
    return read;
  }

  const readRule = (name: string, namespace = NAMESPACE) =>
    KubernetesObjectApi.makeApiClient(cluster.kubeConfig).read<
      KubernetesObject & { spec: any }
    >({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name, namespace },
    });

  const SHOP = `${RUN}-shop`;
  const OTHER = `${RUN}-other`;
  let shop: { id: string; outputs: Record<string, unknown> };
  let other: { id: string; outputs: Record<string, unknown> };

  it('offers a form with a title and a description on every field, and its day-2 actions', async () => {
    const type = await listedType('rabbitmq-queue');
    expect(type).toMatchObject({
      title: 'RabbitMQ queues',
      catalogType: 'queue',
      parameters: { required: ['queues'] },
    });
    expectDocumentedParameters(type);
    expect(type.actions.map((a: { id: string }) => a.id)).toEqual([
      'rotate-credentials',
      'purge-queue',
      'set-limits',
    ]);
  });

  it('refuses hostile names of the request and of its queues with a 400 naming the field, making nothing', async () => {
    const queues = [{ name: 'orders' }];
    const nameCases: Array<[string, RegExp]> = [
      [`x"; DROP`, /^Invalid request: name: /],
      [`${RUN}'q`, /^Invalid request: name: /],
      ['a'.repeat(300), /^Invalid request: name: must be at most 63/],
      ['bäse', /^Invalid request: name: /],
      ['/', /^Invalid request: name: /],
      ['%2F', /^Invalid request: name: /],
      [`${RUN}/x`, /^Invalid request: name: /],
      [`${RUN}%2Fx`, /^Invalid request: name: /],
      ['guest', /^Invalid request: name: 'guest' is reserved/],
      [
        b.broker.user,
        new RegExp(`^Invalid request: name: ('${b.broker.user}' is reserved|)`),
      ],
    ];
    const queueCases: Array<[string, object, RegExp]> = [
      [
        'quotes',
        { queues: [{ name: `o"rders` }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        'a slash',
        { queues: [{ name: 'a/b' }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        'just a slash',
        { queues: [{ name: '/' }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        '%2F',
        { queues: [queues[0], { name: '%2F' }] },
        /parameters\.queues\[1\]\.name: must match pattern/,
      ],
      [
        '300 characters',
        { queues: [{ name: 'q'.repeat(300) }] },
        /parameters\.queues\[0\]\.name: must NOT have more than 100 characters/,
      ],
      [
        'unicode',
        { queues: [{ name: 'bestellungen-ä' }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        'reserved amq.',
        { queues: [{ name: 'amq.orders' }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        'a dead-letter name',
        { queues: [{ name: 'orders.dlq' }] },
        /parameters\.queues\[0\]\.name: must match pattern/,
      ],
      [
        'a queue listed twice',
        { queues: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] },
        /^Invalid parameters: parameters\.queues\[2\]\.name: queue 'a' is listed twice/,
      ],
      [
        'no queue',
        { queues: [] },
        /parameters\.queues: must NOT have fewer than 1 items/,
      ],
      [
        'a password',
        { queues, password: 'hunter2' },
        /parameters\.password: is not allowed/,
      ],
      [
        'a negative limit',
        { queues: [{ name: 'q', maxLength: -1 }] },
        /parameters\.queues\[0\]\.maxLength: must be >= 1/,
      ],
    ];
    await expectRefused(OWNER, [
      ...nameCases.map(
        ([name, message]) =>
          [name, requestBody(name, { queues }), message] as [
            string,
            object,
            RegExp,
          ],
      ),
      ...queueCases.map(
        ([label, parameters, message]) =>
          [label, requestBody(`${RUN}-bad`, parameters), message] as [
            string,
            object,
            RegExp,
          ],
      ),
    ]);
    expect(await b.leftovers()).toEqual({ vhosts: [], users: [] });
  });

  it('makes a vhost with durable queues and their policies, a user limited to it and a Secret', async () => {
    const started = Date.now();
    const created = await create(SHOP, {
      queues: [
        { name: 'orders', deadLetter: true, maxLength: 5 },
        { name: 'events', messageTtlSeconds: 60 },
        { name: 'audit.log' },
      ],
      component: 'component:default/checkout-service',
    });
    expect(created.state).toBe('provisioning');
    shop = await waitForState(created.id, 'ready');
    // The figure the closing note reports: request to Secret ready, through the engine.
    // eslint-disable-next-line no-console
    console.log(
      `Provisioning one queue request took ${Date.now() - started} ms`,
    );
    expect(shop.outputs).toEqual({
      host: b.amqpHost,
      port: b.broker.amqpPort,
      tls: false,
      vhost: SHOP,
      user: SHOP,
      secretName: `${SHOP}-amqp`,
      secretNamespace: NAMESPACE,
      secretUid: expect.any(String),
      alertRule: `${NAMESPACE}/${SHOP}-rabbitmq-alerts`,
    });

    const { secret, data } = await readSecret(`${SHOP}-amqp`);
    expectRequestSecret(secret, {
      uid: shop.outputs.secretUid,
      requestId: created.id,
      resourceType: 'rabbitmq-queue',
      name: SHOP,
      owner: OWNER,
      component: 'checkout-service',
    });
    expect(Object.keys(data).sort()).toEqual(
      ['host', 'password', 'port', 'uri', 'user', 'vhost'].sort(),
    );
    expect(data).toMatchObject({
      host: b.amqpHost,
      port: String(b.broker.amqpPort),
      vhost: SHOP,
      user: SHOP,
    });
    expect(data.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(data.uri).toBe(
      `amqp://${SHOP}:${data.password}@${b.amqpHost}:${b.broker.amqpPort}/${SHOP}`,
    );

    // On the broker: the vhost is marked as this request's; the user has no tags, a
    // salted SHA-256 hash, and full permissions on its own vhost only.
    expect((await b.api(`/api/vhosts/${SHOP}`)).body).toMatchObject({
      description: `paved:request:${created.id}`,
    });
    const user = (await b.api(`/api/users/${SHOP}`)).body;
    expect(user).toMatchObject({
      hashing_algorithm: 'rabbit_password_hashing_sha256',
    });
    expect(user.tags).toEqual([]);
    const salt = Buffer.from(user.password_hash, 'base64').subarray(0, 4);
    expect(rabbitmqPasswordHash(data.password, salt)).toBe(user.password_hash);
    expect((await b.api(`/api/users/${SHOP}/permissions`)).body).toEqual([
      expect.objectContaining({
        vhost: SHOP,
        configure: '.*',
        write: '.*',
        read: '.*',
      }),
    ]);
    const queues = (await b.api(`/api/queues/${SHOP}`)).body as Array<{
      name: string;
      durable: boolean;
      policy?: string;
    }>;
    expect(queues.map(q => [q.name, q.durable]).sort()).toEqual([
      ['audit.log', true],
      ['events', true],
      ['orders', true],
      ['orders.dlq', true],
    ]);
    const policies = (await b.api(`/api/policies/${SHOP}`)).body as Array<{
      name: string;
      definition: object;
    }>;
    expect(
      Object.fromEntries(policies.map(p => [p.name, p.definition])),
    ).toEqual({
      'paved-limits-orders': {
        'max-length': 5,
        'dead-letter-exchange': '',
        'dead-letter-routing-key': 'orders.dlq',
      },
      'paved-limits-events': { 'message-ttl': 60_000 },
    });

    // The user has no access to the management API.
    expect(
      (await b.api('/api/overview', { user: SHOP, password: data.password }))
        .status,
    ).toBe(401);
  });

  it('lets the application publish and consume on its vhost with the Secret, and applies the limits', async () => {
    const { data } = await readSecret(`${SHOP}-amqp`);
    await b.publish(data.uri, 'audit.log', 3);
    const received = await b.withChannel(data.uri, async channel => {
      const bodies: string[] = [];
      for (let i = 0; i < 3; i++) {
        const message = await channel.get('audit.log', { noAck: false });
        if (message) {
          bodies.push(message.content.toString());
          channel.ack(message);
        }
      }
      return bodies;
    });
    expect(received).toEqual(['message 0', 'message 1', 'message 2']);

    // orders holds 5: the 2 oldest of 7 go to orders.dlq, not lost.
    await b.publish(data.uri, 'orders', 7);
    expect(await b.messageCount(data.uri, 'orders')).toBe(5);
    expect(await b.messageCount(data.uri, 'orders.dlq')).toBe(2);

    // Its own vhost is its to shape; the broker's reserved names are not.
    expect(
      await b.amqpError(
        b.withChannel(data.uri, channel => channel.assertQueue('amq.mine')),
      ),
    ).toMatch(/ACCESS_REFUSED/);
  });

  it("is refused on another request's vhost, and the other's user on its", async () => {
    const created = await create(
      OTHER,
      { queues: [{ name: 'payments' }] },
      OTHER_OWNER,
    );
    other = await waitForState(created.id, 'ready');
    expect(other.outputs.secretNamespace).toBe(OTHER_NAMESPACE);
    const mine = (await readSecret(`${SHOP}-amqp`)).data;
    const theirs = (await readSecret(`${OTHER}-amqp`, OTHER_NAMESPACE)).data;

    // RabbitMQ refuses a vhost the user has no permissions on when the connection
    // opens it: a connection.close with NOT_ALLOWED (530), which amqplib reports
    // without the broker's text. ACCESS_REFUSED (403) is what bad credentials and
    // forbidden operations get (below, and an amq. queue above).
    const vhostRefused = /^Expected ConnectionOpenOk; got <ConnectionClose/;
    expect(
      await b.amqpError(b.connect(b.uriFor(SHOP, mine.password, OTHER))),
    ).toMatch(vhostRefused);
    expect(
      await b.amqpError(b.connect(b.uriFor(OTHER, theirs.password, SHOP))),
    ).toMatch(vhostRefused);
    expect((await b.api(`/api/permissions/${OTHER}/${SHOP}`)).status).toBe(404);
    // Its own vhost opens with the same credentials.
    await (await b.connect(b.uriFor(SHOP, mine.password, SHOP))).close();
    // Each one's own password is no key to the other's user.
    expect(
      await b.amqpError(b.connect(b.uriFor(OTHER, mine.password, OTHER))),
    ).toMatch(/ACCESS_REFUSED/);
    await b.publish(theirs.uri, 'payments', 1);
    expect(await b.messageCount(theirs.uri, 'payments')).toBe(1);
  });

  it('rotates the credentials: the Secret changes and the old password is refused', async () => {
    const before = await readSecret(`${SHOP}-amqp`);
    const done = await runAction(shop.id, 'rotate-credentials');
    expect(done.state).toBe('ready');
    expect(done.lastError).toBeUndefined();
    const after = await readSecret(`${SHOP}-amqp`);
    expect(after.data.password).not.toBe(before.data.password);
    expect(after.secret.metadata?.uid).toBe(before.secret.metadata?.uid);
    expect(await b.amqpError(b.connect(before.data.uri))).toMatch(
      /ACCESS_REFUSED/,
    );
    await b.publish(after.data.uri, 'events', 1);
  });

  it('purges a queue, and refuses a queue that is not the request’s', async () => {
    const { data } = await readSecret(`${SHOP}-amqp`);
    await b.publish(data.uri, 'events', 3);
    expect(await b.messageCount(data.uri, 'events')).toBe(4);
    const done = await runAction(shop.id, 'purge-queue', { queue: 'events' });
    expect(done.lastError).toBeUndefined();
    expect(await b.messageCount(data.uri, 'events')).toBe(0);
    // The dead-letter queue can be purged too.
    expect(
      (await runAction(shop.id, 'purge-queue', { queue: 'orders.dlq' }))
        .lastError,
    ).toBeUndefined();
    expect(await b.messageCount(data.uri, 'orders.dlq')).toBe(0);

    const bad = await api(
      'post',
      `/requests/${shop.id}/actions/purge-queue`,
    ).send({ input: { queue: 'a/b' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Invalid input: input\.queue: /);
    // Another request's queue, or a dead-letter queue that the request has not:
    // refused before anything is queued.
    for (const [action, queue] of [
      ['purge-queue', 'payments'],
      ['purge-queue', 'events.dlq'],
      ['set-limits', 'orders.dlq'],
    ]) {
      const refused = await api(
        'post',
        `/requests/${shop.id}/actions/${action}`,
      ).send({ input: { queue } });
      expect([action, queue, refused.status]).toEqual([action, queue, 400]);
      expect(refused.body.error.message).toMatch(
        `Invalid input: input.queue: '${queue}' is not a queue of this request; its queues are orders, `,
      );
    }
    // The other request's queue was not touched.
    const theirs = (await readSecret(`${OTHER}-amqp`, OTHER_NAMESPACE)).data;
    expect(await b.messageCount(theirs.uri, 'payments')).toBe(1);
  });

  it('changes the limits of a queue: its policy, what the broker enforces, and the alert threshold', async () => {
    const done = await runAction(shop.id, 'set-limits', {
      queue: 'events',
      maxLength: 2,
    });
    expect(done.lastError).toBeUndefined();
    expect(done.outputs.queueLimits).toEqual({ events: { maxLength: 2 } });
    expect(
      (await b.api(`/api/policies/${SHOP}/paved-limits-events`)).body
        .definition,
    ).toEqual({ 'max-length': 2 });
    const { data } = await readSecret(`${SHOP}-amqp`);
    await b.publish(data.uri, 'events', 5);
    expect(await b.messageCount(data.uri, 'events')).toBe(2);

    const rule = await readRule(`${SHOP}-rabbitmq-alerts`);
    const rules = rule.spec.groups[0].rules as Array<{
      alert: string;
      expr: string;
      labels: { queue: string };
    }>;
    const backlog = (queue: string) =>
      rules.find(
        r => r.alert === 'RabbitmqQueueBacklog' && r.labels.queue === queue,
      )?.expr;
    // 80 % of the new max length; orders keeps 80 % of 5; audit.log the default.
    expect(backlog('events')).toMatch(/ > 1$/);
    expect(backlog('orders')).toMatch(/ > 4$/);
    expect(backlog('audit.log')).toMatch(/ > 500$/);
    expect(rule.metadata?.labels).toMatchObject({
      'paved.dev/request-id': shop.id,
    });
  });

  it('shows each queue with its messages, consumers and rates from the management API', async () => {
    const { data } = await readSecret(`${SHOP}-amqp`);
    const connection = await b.connect(data.uri);
    try {
      const channel = await connection.createChannel();
      await channel.consume('audit.log', () => {}, { noAck: false });
      const section = await waitFor(
        // The management API samples every few seconds: wait for the consumer and
        // for the 2 messages that events holds (max length 2, set above).
        'the broker to report the consumer and the waiting messages',
        async () => {
          const status = await api('get', `/requests/${shop.id}/status`);
          expect(status.status).toBe(200);
          const queues = status.body.sections.find(
            (s: { title: string }) => s.title === 'Queues',
          );
          const row = (name: string) =>
            queues?.table?.rows.find((r: unknown[]) => r[0] === name);
          return row('audit.log')?.[3] === 1 && row('events')?.[1] === 2
            ? queues
            : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(section.table.columns).toEqual([
        'Queue',
        'Ready',
        'Unacknowledged',
        'Consumers',
        'Publish /s',
        'Deliver /s',
      ]);
      expect(section.table.rows.map((r: unknown[]) => r[0])).toEqual([
        'audit.log',
        'events',
        'orders',
        'orders.dlq',
      ]);
      const events = section.table.rows.find(
        (r: unknown[]) => r[0] === 'events',
      );
      expect(events.slice(1, 4)).toEqual([2, 0, 0]);
      for (const row of section.table.rows) {
        expect(typeof row[4]).toBe('number');
        expect(typeof row[5]).toBe('number');
      }
    } finally {
      await connection.close();
    }
  });

  it('puts back a policy and permissions changed by hand, and says so in the timeline', async () => {
    const { management } = b;
    await management.putPolicy(SHOP, 'paved-limits-orders', {
      pattern: '^orders$',
      definition: { 'max-length': 100000 },
      priority: 0,
      'apply-to': 'queues',
    });
    await management.deletePolicy(SHOP, 'paved-limits-events');
    await management.putPermissions(SHOP, SHOP, {
      configure: '^$',
      write: '^$',
      read: '.*',
    });
    await management.putPermissions(OTHER, SHOP, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    await scheduler.triggerTask('provisioning-reconcile');

    const details = (await api('get', `/requests/${shop.id}`)).body;
    const corrections = details.timeline
      .filter((e: { type: string }) => e.type === 'drift-corrected')
      .map((e: { message: string; actor: string }) => [e.actor, e.message]);
    expect(corrections).toEqual(
      expect.arrayContaining([
        [
          'system:reconciler',
          `Put back the permissions of user '${SHOP}' on vhost '${SHOP}' (configure '^$', write '^$', read '.*' were set by hand)`,
        ],
        [
          'system:reconciler',
          `Removed the permissions of user '${SHOP}' on vhost '${OTHER}', granted by hand: it may use its own vhost only`,
        ],
        [
          'system:reconciler',
          `Put back policy 'paved-limits-orders' of queue 'orders' in vhost '${SHOP}' (max length 5, no message TTL, dead letters to orders.dlq): it had been changed by hand`,
        ],
        [
          'system:reconciler',
          `Put back policy 'paved-limits-events' of queue 'events' in vhost '${SHOP}' (max length 2, no message TTL): it had been deleted by hand`,
        ],
      ]),
    );
    expect(corrections).toHaveLength(4);
    expect(
      (await b.api(`/api/policies/${SHOP}/paved-limits-orders`)).body
        .definition,
    ).toEqual({
      'max-length': 5,
      'dead-letter-exchange': '',
      'dead-letter-routing-key': 'orders.dlq',
    });
    expect((await b.api(`/api/users/${SHOP}/permissions`)).body).toEqual([
      expect.objectContaining({ vhost: SHOP, configure: '.*', write: '.*' }),
    ]);
    // Nothing drifted since: the next run records nothing.
    await scheduler.triggerTask('provisioning-reconcile');
    const again = (await api('get', `/requests/${shop.id}`)).body;
    expect(
      again.timeline.filter(
        (e: { type: string }) => e.type === 'drift-corrected',
      ),
    ).toHaveLength(4);
  });

  it('deletes: the vhost with its queues, the user, the Secret and the alerts go; a second request of the name can be made', async () => {
    const { data } = await readSecret(`${OTHER}-amqp`, OTHER_NAMESPACE);
    expect((await api('delete', `/requests/${other.id}`)).status).toBe(202);
    await waitForState(other.id, 'deleted');
    expect((await b.api(`/api/vhosts/${OTHER}`)).status).toBe(404);
    expect((await b.api(`/api/users/${OTHER}`)).status).toBe(404);
    expect(
      await secretStatus(cluster.kubeConfig, `${OTHER}-amqp`, OTHER_NAMESPACE),
    ).toBe(404);
    expect(
      await readRule(`${OTHER}-rabbitmq-alerts`, OTHER_NAMESPACE).then(
        () => 200,
        statusCodeOf,
      ),
    ).toBe(404);
    expect(await b.amqpError(b.connect(data.uri))).toMatch(/ACCESS_REFUSED/);
    // The other request's vhost and user are untouched.
    expect((await b.api(`/api/vhosts/${SHOP}`)).status).toBe(200);

    // The name is free again: a new request of it gets a new vhost and password.
    const again = await create(
      OTHER,
      { queues: [{ name: 'payments' }] },
      OTHER_OWNER,
    );
    expect(again.id).not.toBe(other.id);
    await waitForState(again.id, 'ready');
    const fresh = (await readSecret(`${OTHER}-amqp`, OTHER_NAMESPACE)).data;
    expect(fresh.password).not.toBe(data.password);
    expect(await b.messageCount(fresh.uri, 'payments')).toBe(0);
    expect((await b.api(`/api/vhosts/${OTHER}`)).body.description).toBe(
      `paved:request:${again.id}`,
    );
    expect((await api('delete', `/requests/${again.id}`)).status).toBe(202);
    await waitForState(again.id, 'deleted');
  });

  it('deletes cleanly when the vhost, the user and the Secret are gone already', async () => {
    await b.management.deleteVhost(SHOP);
    await b.management.deleteUser(SHOP);
    await core.deleteNamespacedSecret({
      name: `${SHOP}-amqp`,
      namespace: NAMESPACE,
    });
    expect((await api('delete', `/requests/${shop.id}`)).status).toBe(202);
    const deleted = await waitForState(shop.id, 'deleted');
    expect(deleted.lastError).toBeUndefined();
    expect(await b.leftovers()).toEqual({ vhosts: [], users: [] });
  });

  it('never takes over a vhost or user that someone else made, nor deletes it', async () => {
    const name = `${RUN}-taken`;
    await b.management.putVhost(name, {
      description: 'made by hand',
      tags: [],
    });
    const created = await create(name, { queues: [{ name: 'q' }] });
    const failed = await waitForState(created.id, 'failed');
    expect(failed.lastError).toBe(
      `Vhost '${name}' already exists on the broker and was not made by this request; choose another name`,
    );
    expect((await api('delete', `/requests/${created.id}`)).status).toBe(202);
    await waitForState(created.id, 'deleted');
    expect((await b.api(`/api/vhosts/${name}`)).body.description).toBe(
      'made by hand',
    );
    await b.management.deleteVhost(name);

    const user = `${RUN}-someone`;
    await b.management.putUser(user, {
      passwordHash: rabbitmqPasswordHash('theirs'),
      hashingAlgorithm: 'rabbit_password_hashing_sha256',
      tags: [],
    });
    const clash = await create(user, { queues: [{ name: 'q' }] });
    expect((await waitForState(clash.id, 'failed')).lastError).toBe(
      `User '${user}' already exists on the broker and was not made by this request; choose another name`,
    );
    expect((await api('delete', `/requests/${clash.id}`)).status).toBe(202);
    await waitForState(clash.id, 'deleted');
    // Their user is still there with its password; the request's vhost is gone.
    expect(
      await b.amqpError(b.connect(b.uriFor(user, 'theirs', '/'))),
    ).not.toMatch(/ACCESS_REFUSED/);
    expect((await b.api(`/api/users/${user}`)).status).toBe(200);
    expect((await b.api(`/api/vhosts/${user}`)).status).toBe(404);
  });

  it('never lets a password into outputs, the timeline, stored rows or logs', async () => {
    expect(passwords.size).toBeGreaterThanOrEqual(3);
    await engine.expectSecretsKeptOut({
      secrets: passwords,
      requestIds,
      user: BOB,
    });
  });
});
