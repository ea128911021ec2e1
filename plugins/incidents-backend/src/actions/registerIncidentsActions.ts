import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import type { z as zod } from 'zod/v3';
import { AgentActions } from '@paved/agent-guardrails';
import { actorOf, audited, UsageFacts } from '@paved/backend-plugin-utils';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import {
  Incident,
  INCIDENT_OPEN_STATUSES,
  INCIDENT_SEVERITIES,
  incidentUpdatePermission,
} from '@paved/plugin-incidents-common';
import { incidentLink } from '../notifications/IncidentNotifier';
import { IncidentService } from '../service/IncidentService';
import { incidentDetailsSchema, incidentSchema } from './incidentOutputSchemas';

const linked = <T extends Incident>(incident: T) => ({
  ...incident,
  link: incidentLink(incident.id),
});

const ofIncident = (incident: Incident): UsageFacts => ({
  subject: incident.entityRef,
  team: incident.owner,
});

const PERSON_INSTEAD =
  "do it on the incident's page in the portal (Incidents, or the component's Incidents tab)";

/**
 * The incidents plugin's agent actions: open an incident, add a note, change its
 * status, resolve it, read one with its timeline, list them. They call the same
 * IncidentService as the REST routes with the credentials of the user the agent
 * acts for, so the permission framework decides as in the portal (the entity's
 * owning team and the platform team update its incidents); the changes are audited
 * and recorded as usage like the REST routes', marked `via: agent`.
 */
export function registerIncidentsActions(options: {
  actions: AgentActions;
  incidents: IncidentService;
  permissions: PermissionsService;
  auditor: AuditorService;
  usage: UsageRecorder;
}): void {
  const { actions, incidents, permissions, auditor, usage } = options;

  /** Runs a change as POST /incidents… does: audited, with a usage event. */
  const change = <T>(
    credentials: BackstageCredentials,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<T>,
    resultMeta: (result: T) => JsonObject,
    resultUsage: (result: T) => UsageFacts,
  ) => {
    const actor = actorOf(credentials);
    return audited(
      auditor,
      {
        eventId,
        request: undefined,
        // No request to read the user from: the meta names them, and the agent.
        meta: { ...meta, actor, via: 'agent' },
        usage: { recorder: usage, actor },
      },
      fn,
      resultMeta,
      result => {
        const facts = resultUsage(result);
        return { ...facts, attributes: { ...facts.attributes, via: 'agent' } };
      },
    );
  };

  /**
   * The permission IncidentService checks before an update, for the calls that
   * turn out to change nothing (and so never reach its check): a retry must be
   * refused as the first call would have been.
   */
  const mayUpdate = async (
    incident: Incident,
    credentials: BackstageCredentials,
  ) => {
    const [decision] = await permissions.authorize(
      [
        {
          permission: incidentUpdatePermission,
          resourceRef: incident.entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not update incidents on ${
          incident.entityRef
        }: only its owning team and the platform team may`,
      );
    }
  };

  const incidentId = (z: typeof zod) =>
    z
      .string()
      .min(1)
      .max(36)
      .describe('The incident id, from open-incident or list-incidents');

  actions.register({
    name: 'open-incident',
    title: 'Open an incident',
    description:
      "Opens an incident on a catalog entity (a component that is down or degraded) as the user: it starts as 'investigating' " +
      'and notifies the owning team. Only the entity owners and the platform team may. ' +
      'Check list-incidents first for an open incident on the entity; follow up with add-incident-note, set-incident-status and resolve-incident.',
    kind: 'change',
    idempotent: false,
    personInstead: PERSON_INSTEAD,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('The affected entity, e.g. component:default/orders-api'),
          severity: z
            .enum(INCIDENT_SEVERITIES)
            .describe(
              'sev1: an outage; sev2: a major degradation; sev3: a minor one; sev4: a nuisance',
            ),
          summary: z
            .string()
            .min(1)
            .max(200)
            .describe(
              'What is wrong, in a line, e.g. "Checkout fails with 502"',
            ),
          description: z
            .string()
            .max(10_000)
            .optional()
            .describe('What is known so far'),
        }),
      output: z => z.object({ incident: incidentSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const incident = await change(
        credentials,
        'incident-open',
        { entityRef: input.entityRef, severity: input.severity },
        () => incidents.open(input, credentials),
        result => ({ incidentId: result.id, owner: result.owner }),
        result => ({
          ...ofIncident(result),
          attributes: { severity: result.severity },
        }),
      );
      return { output: { incident: linked(incident) } };
    },
  });

  actions.register({
    name: 'add-incident-note',
    title: 'Add a note to an incident',
    description:
      "Adds a note to an incident's timeline (what was found, what was tried) as the user. " +
      'Repeating the same call (the same text right after it) adds nothing: added is then false.',
    kind: 'change',
    idempotent: true,
    personInstead: PERSON_INSTEAD,
    schema: {
      input: z =>
        z.object({
          incidentId: incidentId(z),
          text: z.string().min(1).max(10_000).describe('The note'),
        }),
      output: z =>
        z.object({
          incident: incidentDetailsSchema(z),
          added: z
            .boolean()
            .describe('false: this note was already the latest by this user'),
        }),
    },
    action: async ({ input, credentials }) => {
      const current = await incidents.get(input.incidentId, credentials);
      const latest = current.timeline
        .filter(event => event.type !== 'runbook-run')
        .at(-1);
      // An agent retries a call whose answer it lost: the same note by the same
      // user as the latest event is that retry, not a new note.
      if (
        latest?.type === 'note' &&
        latest.actor === actorOf(credentials) &&
        latest.message === input.text.trim()
      ) {
        await mayUpdate(current, credentials);
        return { output: { incident: linked(current), added: false } };
      }
      const incident = await change(
        credentials,
        'incident-note',
        { incidentId: input.incidentId },
        () =>
          incidents.addNote(
            input.incidentId,
            { text: input.text },
            credentials,
          ),
        () => ({}),
        ofIncident,
      );
      return { output: { incident: linked(incident), added: true } };
    },
  });

  actions.register({
    name: 'set-incident-status',
    title: "Change an incident's status",
    description:
      "Sets an open incident's status as the user: investigating (looking for the cause), identified (cause known, fix under way) " +
      'or monitoring (fixed, watching). To close it, call resolve-incident. Setting the status it has changes nothing.',
    kind: 'change',
    idempotent: true,
    personInstead: PERSON_INSTEAD,
    schema: {
      input: z =>
        z.object({
          incidentId: incidentId(z),
          status: z
            .enum(INCIDENT_OPEN_STATUSES)
            .describe('The new status of the (open) incident'),
        }),
      output: z =>
        z.object({
          incident: incidentSchema(z),
          changed: z.boolean().describe('false: it had this status already'),
        }),
    },
    action: async ({ input, credentials }) => {
      const current = await incidents.get(input.incidentId, credentials);
      if (current.status === input.status) {
        await mayUpdate(current, credentials);
        const { timeline, runbookRunsError, ...incident } = current;
        return { output: { incident: linked(incident), changed: false } };
      }
      const incident = await change(
        credentials,
        'incident-status',
        { incidentId: input.incidentId, status: input.status },
        () =>
          incidents.setStatus(
            input.incidentId,
            { status: input.status },
            credentials,
          ),
        result => ({ status: result.status }),
        result => ({
          ...ofIncident(result),
          attributes: { status: result.status },
        }),
      );
      return { output: { incident: linked(incident), changed: true } };
    },
  });

  actions.register({
    name: 'resolve-incident',
    title: 'Resolve an incident',
    description:
      'Resolves an incident as the user, with its cause (and how it was resolved): its time to restore is counted to now and the owning team is notified. ' +
      'Resolving a resolved incident changes nothing (resolved is then false). Open a new incident if it breaks again.',
    kind: 'change',
    idempotent: true,
    personInstead: PERSON_INSTEAD,
    schema: {
      input: z =>
        z.object({
          incidentId: incidentId(z),
          cause: z
            .string()
            .min(1)
            .max(10_000)
            .describe('What caused it, e.g. "A bad connection pool setting"'),
          resolution: z
            .string()
            .max(10_000)
            .optional()
            .describe('What fixed it, e.g. "Rolled back the deploy"'),
        }),
      output: z =>
        z.object({
          incident: incidentSchema(z),
          resolved: z
            .boolean()
            .describe(
              'false: it was resolved already, and is returned as it is',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { incidentId: id, ...resolution } = input;
      const result = await change(
        credentials,
        'incident-resolve',
        { incidentId: id },
        () => incidents.resolve(id, resolution, credentials),
        r => ({
          resolved: r.resolved,
          timeToRestoreMs: r.incident.timeToRestoreMs ?? null,
        }),
        ({ incident, resolved }) => ({
          ...ofIncident(incident),
          attributes: {
            severity: incident.severity,
            timeToRestoreMs: incident.timeToRestoreMs ?? 0,
            resolved,
          },
        }),
      );
      return {
        output: {
          incident: linked(result.incident),
          resolved: result.resolved,
        },
      };
    },
  });

  actions.register({
    name: 'get-incident',
    title: 'Read an incident and its timeline',
    description:
      'Reads an incident with its timeline, oldest first: when it was opened, notes, status changes, the runbooks run on the entity meanwhile, and its resolution.',
    kind: 'read',
    idempotent: true,
    schema: {
      input: z => z.object({ incidentId: incidentId(z) }),
      output: z => z.object({ incident: incidentDetailsSchema(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        incident: linked(await incidents.get(input.incidentId, credentials)),
      },
    }),
  });

  actions.register({
    name: 'list-incidents',
    title: 'List incidents',
    description:
      'Lists incidents, newest first, of an entity, of a team (owner) and/or in some statuses (open = investigating, identified or monitoring). ' +
      'Use it before open-incident to find one already open on the entity.',
    kind: 'read',
    idempotent: true,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .optional()
            .describe('Only this entity’s, e.g. component:default/orders-api'),
          owner: z
            .string()
            .optional()
            .describe("Only this team's, e.g. group:default/payments-team"),
          status: z
            .array(z.enum([...INCIDENT_OPEN_STATUSES, 'resolved', 'open']))
            .optional()
            .describe('Only these statuses; open means any but resolved'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(20)
            .describe('At most this many (1-100)'),
          offset: z.number().int().min(0).default(0).describe('Skip this many'),
        }),
      output: z =>
        z.object({
          items: z.array(incidentSchema(z)),
          totalCount: z.number().describe('How many match, over all pages'),
        }),
    },
    action: async ({ input }) => {
      // GET /incidents takes the statuses as a comma-separated list.
      const { items, totalCount } = await incidents.list({
        ...input,
        ...(input.status && { status: input.status.join(',') }),
      });
      return { output: { items: items.map(linked), totalCount } };
    },
  });
}
