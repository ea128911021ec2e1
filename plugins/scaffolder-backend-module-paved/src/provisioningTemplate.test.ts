/*
 * The self-service templates ("Request a PostgreSQL database", "Create an
 * environment", "Request a queue", "Request a bucket") run as real scaffolder tasks,
 * with the real provisioning plugin behind them (stand-in `postgres`, `environment`,
 * `rabbitmq-queue` and `s3-bucket` types, so that this test needs no database server,
 * broker, S3 server or cluster; the real types have their own tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The test runs the real provisioning plugin next to the scaffolder, on purpose.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { StepContext } from '@paved/plugin-provisioning-node';
import {
  standInResourceTypes,
  testWorkerConfig,
  waitFor,
} from '@paved/test-utils';
import { scaffolderModulePaved } from './module';
import { TEMPLATES } from './__testUtils__/goldenPaths';

const readTemplate = (folder: string) => {
  const template = parse(
    fs.readFileSync(path.join(TEMPLATES, folder, 'template.yaml'), 'utf8'),
  );
  template.metadata.namespace = 'default';
  return template;
};
const templates = [
  readTemplate('postgres-database'),
  readTemplate('environment'),
  readTemplate('rabbitmq-queue'),
  readTemplate('s3-bucket'),
];

const provisioned: Array<Record<string, unknown>> = [];
const record = async (ctx: StepContext) => {
  provisioned.push({
    type: ctx.request.type,
    name: ctx.request.name,
    ...ctx.request.parameters,
  });
};
const standInTypes = standInResourceTypes('stand-in-types', [
  {
    id: 'environment',
    title: 'Environment (stand-in)',
    description: 'Records what it was asked for',
    catalogType: 'environment',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        size: { type: 'string' },
        ttlHours: { type: 'integer' },
        component: { type: 'string' },
        source: { type: 'string' },
      },
    },
    async provision(ctx) {
      await record(ctx);
      await ctx.setOutput('namespace', ctx.request.name);
    },
    async destroy() {},
  },
  {
    id: 'postgres',
    title: 'PostgreSQL database (stand-in)',
    description: 'Records what it was asked for',
    catalogType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        environment: { type: 'string' },
        connectionLimit: { type: 'integer' },
        component: { type: 'string' },
      },
    },
    async provision(ctx) {
      await record(ctx);
      await ctx.setOutput('secretName', `${ctx.request.name}-postgres`);
      await ctx.setOutput('secretNamespace', 'team-checkout');
    },
    async destroy() {},
  },
  {
    id: 'rabbitmq-queue',
    title: 'RabbitMQ queues (stand-in)',
    description: 'Records what it was asked for',
    catalogType: 'queue',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['queues'],
      properties: {
        queues: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string' },
              deadLetter: { type: 'boolean' },
              maxLength: { type: 'integer' },
              messageTtlSeconds: { type: 'integer' },
            },
          },
        },
        component: { type: 'string' },
      },
    },
    async provision(ctx) {
      await record(ctx);
      await ctx.setOutput('secretName', `${ctx.request.name}-amqp`);
      await ctx.setOutput('secretNamespace', 'team-checkout');
    },
    async destroy() {},
  },
  {
    id: 's3-bucket',
    title: 'S3 bucket (stand-in)',
    description: 'Records what it was asked for',
    catalogType: 'bucket',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        versioning: { type: 'boolean' },
        expireAfterDays: { type: 'integer' },
        expirePrefix: { type: 'string' },
        component: { type: 'string' },
      },
    },
    async provision(ctx) {
      await record(ctx);
      await ctx.setOutput('secretName', `${ctx.request.name}-s3`);
      await ctx.setOutput('secretNamespace', 'team-checkout');
    },
    async destroy() {},
  },
]);

describe('the self-service templates', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePaved,
        provisioningPlugin,
        standInTypes,
        catalogServiceMock.factory({ entities: templates }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            provisioning: { worker: testWorkerConfig() },
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const user = mockCredentials.user.header('user:default/bob');

  async function runTask(templateRef: string, values: object) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', user)
      .send({ templateRef, values });
    expect(created.status).toBe(201);

    const task = await waitFor(
      'the task to finish',
      async () => {
        const response = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('authorization', user);
        return ['completed', 'failed'].includes(response.body.status)
          ? response.body
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const log = await request(backend.server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('authorization', user);
    const messages = log.body.map(
      (event: { body: { message?: string } }) => event.body.message,
    );
    // The log is in the failure message, so a failing step says why.
    expect(`${task.status}\n${messages.join('\n')}`).toMatch(/^completed\n/);
    expect(messages.join('\n')).toContain('Filed request');
  }

  const requestNamed = async (name: string) => {
    const requests = await request(backend.server)
      .get('/api/provisioning/requests')
      .set('authorization', user);
    return requests.body.items.find(
      (item: { name: string }) => item.name === name,
    );
  };

  it('files the database request as the user and finishes when the database is ready', async () => {
    await runTask('template:default/postgres-database', {
      name: 'orders',
      owner: 'group:default/checkout-team',
      component: 'component:default/orders-api',
      environment: 'development',
      connectionLimit: 5,
    });
    expect(provisioned).toContainEqual({
      type: 'postgres',
      name: 'orders',
      environment: 'development',
      connectionLimit: 5,
      component: 'component:default/orders-api',
    });
    expect(await requestNamed('orders')).toEqual(
      expect.objectContaining({
        owner: 'group:default/checkout-team',
        createdBy: 'user:default/bob',
        state: 'ready',
      }),
    );
  }, 90_000);

  it('files an environment request, a copy of another, and leaves out what was not filled in', async () => {
    await runTask('template:default/environment', {
      name: 'orders-feature-x',
      owner: 'group:default/checkout-team',
      size: 'medium',
      ttlHours: 24,
      source: 'orders-staging',
    });
    await runTask('template:default/environment', {
      name: 'orders-empty',
      owner: 'group:default/checkout-team',
      size: 'small',
      ttlHours: 72,
    });
    expect(provisioned).toContainEqual({
      type: 'environment',
      name: 'orders-feature-x',
      size: 'medium',
      ttlHours: 24,
      source: 'orders-staging',
    });
    expect(provisioned).toContainEqual({
      type: 'environment',
      name: 'orders-empty',
      size: 'small',
      ttlHours: 72,
    });
    expect(await requestNamed('orders-feature-x')).toEqual(
      expect.objectContaining({
        state: 'ready',
        createdBy: 'user:default/bob',
      }),
    );
  }, 120_000);

  it('files the queue request with its list of queues, as the user', async () => {
    await runTask('template:default/rabbitmq-queue', {
      name: 'orders-events',
      owner: 'group:default/checkout-team',
      queues: [
        { name: 'orders.created', deadLetter: true, maxLength: 1000 },
        { name: 'orders.shipped', messageTtlSeconds: 60 },
      ],
    });
    expect(provisioned).toContainEqual({
      type: 'rabbitmq-queue',
      name: 'orders-events',
      queues: [
        { name: 'orders.created', deadLetter: true, maxLength: 1000 },
        { name: 'orders.shipped', messageTtlSeconds: 60 },
      ],
    });
    expect(await requestNamed('orders-events')).toEqual(
      expect.objectContaining({
        owner: 'group:default/checkout-team',
        createdBy: 'user:default/bob',
        state: 'ready',
      }),
    );
  }, 90_000);

  it('files the bucket request with its settings, and leaves out the expiry when not filled in', async () => {
    await runTask('template:default/s3-bucket', {
      name: 'product-images',
      owner: 'group:default/checkout-team',
      component: 'component:default/orders-api',
      versioning: true,
      expireAfterDays: 30,
      expirePrefix: 'tmp/',
    });
    await runTask('template:default/s3-bucket', {
      name: 'product-exports',
      owner: 'group:default/checkout-team',
      versioning: false,
    });
    expect(provisioned).toContainEqual({
      type: 's3-bucket',
      name: 'product-images',
      versioning: true,
      expireAfterDays: 30,
      expirePrefix: 'tmp/',
      component: 'component:default/orders-api',
    });
    expect(provisioned).toContainEqual({
      type: 's3-bucket',
      name: 'product-exports',
      versioning: false,
    });
    expect(await requestNamed('product-images')).toEqual(
      expect.objectContaining({
        owner: 'group:default/checkout-team',
        createdBy: 'user:default/bob',
        state: 'ready',
      }),
    );
  }, 90_000);
});
