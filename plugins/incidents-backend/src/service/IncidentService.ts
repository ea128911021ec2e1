import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  Incident,
  incidentCreatePermission,
  IncidentDetails,
  IncidentList,
  IncidentStats,
  IncidentStatus,
  incidentUpdatePermission,
} from '@paved/plugin-incidents-common';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import { randomUUID } from 'node:crypto';
import { IncidentStore, StoredEvent } from '../database/IncidentStore';
import { IncidentNotifier } from '../notifications/IncidentNotifier';
import { RunbookRunsReader } from '../runbooks/RunbookRunsReader';
import { RunbookTimeline } from './RunbookTimeline';
import {
  listQuerySchema,
  noteSchema,
  openIncidentSchema,
  resolveSchema,
  statsQuerySchema,
  statusSchema,
} from './schemas';
import { statsBy } from './stats';

const OPEN_STATUSES: IncidentStatus[] = [
  'investigating',
  'identified',
  'monitoring',
];

/** The entity's owning group, from its `ownedBy` relation or `spec.owner`. */
function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  ).toLocaleLowerCase('en-US');
}

const normalizeRef = (ref: string) =>
  stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');

/** Opening, following and resolving incidents; the router's logic. */
export class IncidentService {
  private readonly runbookTimeline: RunbookTimeline;

  constructor(
    private readonly deps: {
      store: IncidentStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      notifier: IncidentNotifier;
      runbookRuns: RunbookRunsReader;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.runbookTimeline = new RunbookTimeline(deps);
  }

  private now() {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  async open(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const input = parseInput(openIncidentSchema, body, 'incident');
    const entityRef = normalizeRef(input.entityRef);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new InputError(
        `Invalid incident: entityRef: there is no entity '${entityRef}' in the catalog`,
      );
    }
    const owner = ownerOf(entity);
    if (!owner) {
      throw new InputError(
        `Invalid incident: entityRef: '${entityRef}' has no owner to respond to incidents`,
      );
    }
    await this.authorize(incidentCreatePermission, entityRef, credentials);

    const actor = actorOf(credentials);
    const openedAt = this.now();
    const incident = await this.deps.store.create(
      {
        id: randomUUID(),
        entityRef,
        owner,
        severity: input.severity,
        status: 'investigating',
        summary: input.summary,
        ...(input.description ? { description: input.description } : {}),
        openedBy: actor,
        openedAt,
      },
      {
        type: 'opened',
        message: `${actor} opened a ${input.severity} incident: ${input.summary}`,
        actor,
        at: openedAt,
      },
    );
    await this.deps.notifier.opened(incident);
    return incident;
  }

  async list(query: unknown): Promise<IncidentList> {
    const filter = parseInput(listQuerySchema, query, 'query');
    const status = filter.status?.flatMap(s =>
      s === 'open' ? OPEN_STATUSES : [s],
    );
    return this.deps.store.list({
      ...filter,
      entityRef: filter.entityRef && normalizeRef(filter.entityRef),
      owner: filter.owner && normalizeRef(filter.owner),
      status,
    });
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<IncidentDetails> {
    const incident = await this.getIncident(id);
    const events = await this.deps.store.events(id);
    const runs = await this.runbookTimeline.eventsOf(incident, credentials);
    const timeline = [...events, ...runs.events].sort(
      (a, b) => Date.parse(a.at) - Date.parse(b.at),
    );
    return {
      ...incident,
      timeline,
      ...(runs.error ? { runbookRunsError: runs.error } : {}),
    };
  }

  async addNote(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<IncidentDetails> {
    const { text } = parseInput(noteSchema, body, 'note');
    const incident = await this.getIncident(id);
    await this.authorize(
      incidentUpdatePermission,
      incident.entityRef,
      credentials,
    );
    await this.deps.store.addEvent(id, this.event('note', text, credentials));
    return this.get(id, credentials);
  }

  async setStatus(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const { status } = parseInput(statusSchema, body, 'status');
    const incident = await this.getIncident(id);
    await this.authorize(
      incidentUpdatePermission,
      incident.entityRef,
      credentials,
    );
    const event = this.event(
      'status',
      `${actorOf(credentials)} set the status to ${status}`,
      credentials,
    );
    const updated = await this.deps.store.setStatus(id, status, event);
    if (!updated) {
      throw new InputError(
        `Invalid status: status: incident ${id} is resolved; open a new one if it broke again`,
      );
    }
    return updated;
  }

  /** Resolves an incident; resolving a resolved incident returns it as it is. */
  async resolve(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<{ incident: Incident; resolved: boolean }> {
    const input = parseInput(resolveSchema, body, 'resolution');
    const incident = await this.getIncident(id);
    await this.authorize(
      incidentUpdatePermission,
      incident.entityRef,
      credentials,
    );
    if (incident.status === 'resolved') {
      return { incident, resolved: false };
    }
    const actor = actorOf(credentials);
    const resolvedAt = this.now();
    const resolved = await this.deps.store.resolve(
      id,
      { resolvedBy: actor, resolvedAt, ...input },
      {
        type: 'resolved',
        message: `${actor} resolved the incident. Cause: ${input.cause}`,
        actor,
        at: resolvedAt,
      },
    );
    if (!resolved) {
      // Someone else resolved it meanwhile.
      return { incident: await this.getIncident(id), resolved: false };
    }
    await this.deps.notifier.resolved(resolved);
    return { incident: resolved, resolved: true };
  }

  async stats(query: unknown): Promise<IncidentStats> {
    const filter = parseInput(statsQuerySchema, query, 'query');
    const incidents = await this.deps.store.forStats({
      entityRef: filter.entityRef && normalizeRef(filter.entityRef),
      owner: filter.owner && normalizeRef(filter.owner),
      since: filter.since ? Date.parse(filter.since) : undefined,
    });
    return {
      ...(filter.since ? { since: new Date(filter.since).toISOString() } : {}),
      services: statsBy(incidents, incident => incident.entityRef),
      teams: statsBy(incidents, incident => incident.owner),
    };
  }

  private event(
    type: StoredEvent['type'],
    message: string,
    credentials: BackstageCredentials,
  ): StoredEvent {
    return { type, message, actor: actorOf(credentials), at: this.now() };
  }

  private async getIncident(id: string): Promise<Incident> {
    const incident = await this.deps.store.get(id);
    if (!incident) {
      throw new NotFoundError(`There is no incident '${id}'`);
    }
    return incident;
  }

  private async authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not ${
          permission.attributes.action === 'create' ? 'open' : 'update'
        } incidents on ${entityRef}: only its owning team and the platform team may`,
      );
    }
  }
}
