/*
 * A test backend that runs runbooks as the portal does: the real scaffolder with this
 * module, the real provisioning plugin with stand-in `postgres` and `environment`
 * types (their day-2 actions record what they were asked), the templates of
 * templates/runbooks, and users of two teams.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The real provisioning plugin behind the day-2 actions, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  standInResourceTypes,
  testWorkerConfig,
  userInfoFromMembers,
  waitFor,
} from '@paved/test-utils';
import { scaffolderModuleRunbooks } from '../module';

/** The repository's templates folder. */
export const TEMPLATES = path.resolve(__dirname, '../../../../templates');

export function readRunbook(name: string): Entity {
  const template = parse(
    fs.readFileSync(
      path.join(TEMPLATES, 'runbooks', name, 'template.yaml'),
      'utf8',
    ),
  );
  template.metadata.namespace = 'default';
  return template;
}

/** Who is in which team. */
export const MEMBERS: Record<string, string[]> = {
  'user:default/bob': ['group:default/checkout-team'],
  'user:default/eve': ['group:default/payments-team'],
  'user:default/alice': ['group:default/platform-team'],
};

/** What the stand-in types' day-2 actions were asked to do. */
export const dayTwoCalls: Array<Record<string, unknown>> = [];

const standInTypes = standInResourceTypes('runbook-stand-in-types', [
  {
    id: 'postgres',
    title: 'PostgreSQL database (stand-in)',
    description: 'Records its day-2 actions',
    catalogType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: { component: { type: 'string' } },
    },
    async provision() {},
    async destroy() {},
    actions: {
      'rotate-credentials': {
        title: 'Rotate credentials',
        parameters: { type: 'object', additionalProperties: false },
        async run(ctx) {
          dayTwoCalls.push({
            action: ctx.action,
            name: ctx.request.name,
            input: ctx.input,
          });
          await ctx.setOutput('credentialsRotatedAt', 'now');
        },
      },
      'terminate-queries': {
        title: 'End long-running queries',
        parameters: {
          type: 'object',
          additionalProperties: false,
          properties: {
            olderThanSeconds: { type: 'integer', minimum: 1 },
          },
        },
        async run(ctx) {
          dayTwoCalls.push({
            action: ctx.action,
            name: ctx.request.name,
            input: ctx.input,
          });
          await ctx.setOutput('terminatedSessions', 2);
        },
      },
    },
  },
  {
    id: 'environment',
    title: 'Environment (stand-in)',
    description: 'Expires',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: { component: { type: 'string' } },
    },
    lifetime: { ttlHours: () => 24, maxHours: 72 },
    async provision() {},
    async destroy() {},
  },
]);

/** userInfo as the catalog would answer it, from {@link MEMBERS}. */
const userInfo = userInfoFromMembers(MEMBERS);

export async function startRunbookBackend(options: {
  entities: Entity[];
  config?: object;
  features?: any[];
}) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleRunbooks,
      provisioningPlugin,
      standInTypes,
      userInfo,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          paved: {
            permissions: { adminGroups: ['group:default/platform-team'] },
          },
          provisioning: { worker: testWorkerConfig() },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });

  const as = (user: string) => mockCredentials.user.header(user);

  /** Starts a task of `template` as `user`; returns its id. */
  async function start(user: string, template: string, values: object) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', as(user))
      .send({ templateRef: `template:default/${template}`, values });
    if (created.status !== 201) {
      throw new Error(
        `Starting ${template} answered ${created.status}: ${JSON.stringify(
          created.body,
        )}`,
      );
    }
    return created.body.id as string;
  }

  /** The task once it ended, with its log. */
  async function finished(user: string, taskId: string) {
    const task = await waitFor(
      `task ${taskId} to end`,
      async () => {
        const response = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('authorization', as(user));
        return ['completed', 'failed', 'cancelled'].includes(
          response.body.status,
        )
          ? response.body
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    const events = await request(backend.server)
      .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
      .set('authorization', as(user));
    const log = events.body
      .map((event: { body: { message?: string } }) => event.body.message)
      .join('\n');
    const completion = events.body.find(
      (event: { type: string }) => event.type === 'completion',
    );
    return {
      status: task.status as string,
      log,
      task,
      output: completion?.body?.output,
    };
  }

  async function run(user: string, template: string, values: object) {
    return finished(user, await start(user, template, values));
  }

  return { backend, as, start, finished, run };
}
