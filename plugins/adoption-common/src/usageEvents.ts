import { z } from 'zod';

/**
 * The events-service topic on which backend plugins publish what people did with
 * them (a request filed, a runbook run, an incident resolved). The adoption
 * dashboard's backend subscribes to it; publishing costs nothing when it is absent.
 *
 * @public
 */
export const USAGE_EVENTS_TOPIC = 'paved.usage';

/**
 * One use of the platform, as a backend plugin records it.
 *
 * @public
 */
export const usageEventSchema = z.strictObject({
  /** The plugin that was used, e.g. `provisioning`. */
  plugin: z.string().min(1).max(100),
  /** What was done, kebab-case, e.g. `request-create`. */
  action: z.string().min(1).max(100),
  /** What it was done to, e.g. `postgres` or an entity ref. */
  subject: z.string().max(255).optional(),
  /** The user or service entity ref that did it. */
  actor: z.string().max(255).optional(),
  /** The owning group's entity ref, for rollups per team. */
  team: z.string().max(255).optional(),
  outcome: z.enum(['succeeded', 'failed']),
  durationMs: z.number().int().nonnegative().optional(),
  /** ISO 8601 time it happened. */
  occurredAt: z.iso.datetime(),
  /** Small, non-secret details, e.g. `{ "state": "ready" }`. */
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional(),
});

/** @public */
export type UsageEvent = z.infer<typeof usageEventSchema>;
