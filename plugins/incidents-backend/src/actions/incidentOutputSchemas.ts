import type { z as zod } from 'zod/v3';
import {
  INCIDENT_OPEN_STATUSES,
  INCIDENT_SEVERITIES,
} from '@paved/plugin-incidents-common';

/**
 * The incident as the actions return it (the REST API's `Incident`), described for
 * an agent. Every field is listed: the registry drops what the schema does not name.
 */
export const incidentSchema = (z: typeof zod) =>
  z.object({
    id: z.string().describe('Pass as incidentId to the other incident actions'),
    entityRef: z.string().describe('The affected entity'),
    owner: z
      .string()
      .describe("The entity's owning group when it was opened: the responders"),
    severity: z
      .enum(INCIDENT_SEVERITIES)
      .describe('sev1 is an outage, sev4 a nuisance'),
    status: z.enum([...INCIDENT_OPEN_STATUSES, 'resolved']),
    summary: z.string(),
    description: z.string().optional(),
    openedBy: z.string(),
    openedAt: z.string().describe('ISO 8601'),
    resolvedBy: z.string().optional(),
    resolvedAt: z.string().optional().describe('ISO 8601'),
    cause: z.string().optional(),
    resolution: z.string().optional(),
    timeToRestoreMs: z
      .number()
      .optional()
      .describe('resolvedAt − openedAt, once resolved'),
    link: z.string().describe("The incident's page in the portal"),
  });

/** An incident with its timeline, oldest event first. */
export const incidentDetailsSchema = (z: typeof zod) =>
  incidentSchema(z).extend({
    timeline: z
      .array(
        z.object({
          type: z.enum(['opened', 'note', 'status', 'resolved', 'runbook-run']),
          message: z.string(),
          actor: z.string().optional(),
          at: z.string().describe('ISO 8601'),
          runbookRun: z
            .object({
              taskId: z.string(),
              templateRef: z.string(),
              templateTitle: z.string(),
              outcome: z.string(),
              durationMs: z.number().optional(),
              link: z.string(),
            })
            .optional()
            .describe('For runbook-run events: the run on the entity'),
        }),
      )
      .describe(
        'What happened, oldest first: notes, status changes and the runbooks run on the entity meanwhile',
      ),
    runbookRunsError: z
      .string()
      .optional()
      .describe(
        'Set when the runbook runs could not be read: the timeline lacks them',
      ),
  });
