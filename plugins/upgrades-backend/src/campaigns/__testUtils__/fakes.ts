import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ACTIVE_CHANGE_STATES,
  ChangeRequest,
  ChangeState,
} from '@paved/plugin-upgrades-common';
import { resolve } from 'node:path';
import { ChangeProposer, TemplateVersions } from '../../ports';
import { CampaignService } from '../CampaignService';
import { DatabaseCampaignStore } from '../DatabaseCampaignStore';

export const TEMPLATE = 'template:default/typescript-service';

/** A component made from a template at a version. */
export function component(
  name: string,
  options: { template?: string; version?: string | null; owner?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...(options.template !== undefined
          ? { 'paved.dev/template': options.template }
          : { 'paved.dev/template': 'typescript-service' }),
        ...(options.version !== null
          ? { 'paved.dev/template-version': options.version ?? '1.0.0' }
          : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: options.owner ?? 'team-a',
    },
  };
}

/** Released typescript-service 1.0.0, 1.1.0 and 2.0.0 (latest). */
export const fakeTemplates: TemplateVersions = {
  async list(templateRef) {
    if (templateRef !== TEMPLATE) {
      throw new NotFoundError(`No template '${templateRef}' in the catalog`);
    }
    return {
      latest: '2.0.0',
      versions: ['2.0.0', '1.1.0', '1.0.0'].map(version => ({
        version,
        text: `Release ${version}`,
      })),
    };
  },
  async read() {
    throw new Error('not used by campaigns');
  },
};

/**
 * The upgrade service as campaigns see it: one active change per service and
 * version (the same change is returned while it is active), services named in
 * `failing` refused with an InputError, `conflicted` ones opened with conflicts.
 */
export class FakeChangeProposer implements ChangeProposer {
  readonly changes: ChangeRequest[] = [];
  readonly calls: string[] = [];
  readonly failing = new Map<string, string>();
  readonly conflicted = new Set<string>();
  maxInFlight = 0;
  private inFlight = 0;
  private seq = 0;

  async propose(request: {
    entityRef: string;
    toVersion?: string;
    campaignId?: string;
    credentials: BackstageCredentials;
  }) {
    this.calls.push(request.entityRef);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise(r => setTimeout(r, 5));
      const problem = this.failing.get(request.entityRef);
      if (problem) throw new InputError(problem);
      const toVersion = request.toVersion ?? '2.0.0';
      const active = this.changes.find(
        c =>
          c.entityRef === request.entityRef &&
          c.toVersion === toVersion &&
          ACTIVE_CHANGE_STATES.includes(c.state),
      );
      if (active) return { change: active, created: false };
      const change = this.add(request.entityRef, {
        toVersion,
        campaignId: request.campaignId,
        state: this.conflicted.has(request.entityRef) ? 'conflicted' : 'open',
      });
      return { change, created: true };
    } finally {
      this.inFlight -= 1;
    }
  }

  /** A change as if made elsewhere (the owner's own, another campaign's). */
  add(
    entityRef: string,
    options: { toVersion: string; campaignId?: string; state: ChangeState },
  ): ChangeRequest {
    this.seq += 1;
    const change: ChangeRequest = {
      id: `change-${this.seq}`,
      entityRef,
      target: 'local',
      repository: entityRef.split('/')[1],
      templateRef: TEMPLATE,
      fromVersion: '1.0.0',
      toVersion: options.toVersion,
      branch: `paved/upgrade-typescript-service-${options.toVersion}`,
      state: options.state,
      title: 'Upgrade',
      files: [],
      conflicts: [],
      ...(options.campaignId ? { campaignId: options.campaignId } : {}),
      createdBy: 'user:default/platform',
      createdAt: new Date(Date.UTC(2026, 11, 7, 0, 0, this.seq)).toISOString(),
      updatedAt: new Date(Date.UTC(2026, 11, 7, 0, 0, this.seq)).toISOString(),
    };
    this.changes.push(change);
    return change;
  }

  setState(entityRef: string, state: ChangeState) {
    for (const change of this.changes) {
      if (change.entityRef === entityRef) change.state = state;
    }
  }

  async listChanges(filter: {
    entityRef?: string;
    campaignId?: string;
    states?: ChangeState[];
  }) {
    return this.changes.filter(
      c =>
        (!filter.entityRef || c.entityRef === filter.entityRef) &&
        (!filter.campaignId || c.campaignId === filter.campaignId) &&
        (!filter.states || filter.states.includes(c.state)),
    );
  }
}

/** Allows the platform team (user:default/platform) only. */
export const platformOnlyPermissions = {
  async authorize(_requests: unknown, options: { credentials: any }) {
    const user = options.credentials.principal?.userEntityRef;
    return [
      {
        result:
          user === 'user:default/platform'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      },
    ];
  },
} as unknown as PermissionsService;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A CampaignService over a real store (SQLite), with fakes around it. */
export async function campaignHarness(
  entities: Entity[],
  options: { now?: () => Date } = {},
) {
  const knex = await databases.init('SQLITE_3');
  await knex.migrate.latest({
    directory: resolve(__dirname, '../../../migrations'),
  });
  let now = new Date('2026-12-07T09:00:00.000Z');
  const clock = options.now ?? (() => now);
  const store = DatabaseCampaignStore.create({ knex, clock });
  const changes = new FakeChangeProposer();
  const catalog = catalogServiceMock({ entities });
  const sent: any[] = [];
  const notifications = {
    async send(notification: any) {
      sent.push(notification);
    },
  };
  const events: Array<{ eventId: string; status: string; meta: any }> = [];
  const auditor: AuditorService = {
    async createEvent({ eventId, meta = {} }) {
      return {
        async success(done) {
          events.push({
            eventId,
            status: 'succeeded',
            meta: { ...meta, ...done?.meta },
          });
        },
        async fail({ error }) {
          events.push({
            eventId,
            status: 'failed',
            meta: { ...meta, error: error.message },
          });
        },
      };
    },
  };
  const logger = mockServices.logger.mock();
  const service = new CampaignService({
    store,
    changes,
    templates: fakeTemplates,
    catalog,
    permissions: platformOnlyPermissions,
    auditor,
    notifications,
    logger,
    clock,
  });
  return {
    knex,
    store,
    changes,
    catalog,
    sent,
    events,
    logger,
    service,
    notifications,
    setNow: (at: string) => {
      now = new Date(at);
    },
  };
}
