import { z } from 'zod';

/** The most events one `POST /events` batch may carry. */
export const MAX_EVENTS_PER_BATCH = 1000;

const attributeValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/**
 * One Backstage `AnalyticsEvent` as the frontend's Analytics API implementation sends
 * it, with the time it was captured.
 *
 * @public
 */
export const analyticsEventSchema = z.object({
  action: z.string().min(1).max(100),
  subject: z.string().max(1000),
  value: z.number().finite().optional(),
  attributes: z.record(z.string().max(100), attributeValue).optional(),
  context: z
    .object({
      pluginId: z.string().min(1).max(100),
      routeRef: z.string().max(255).optional(),
      extension: z.string().max(255).optional(),
      entityRef: z.string().max(255).optional(),
    })
    .catchall(z.union([z.string(), z.number(), z.boolean()]).optional()),
  /** ISO 8601 time the event was captured. */
  timestamp: z.iso.datetime({ offset: true }),
});

/**
 * A batch of analytics events; `batchId` makes a retried batch count once.
 *
 * @public
 */
export const analyticsBatchSchema = z.strictObject({
  batchId: z.uuid(),
  events: z.array(analyticsEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** @public */
export type AnalyticsBatch = z.infer<typeof analyticsBatchSchema>;
/** @public */
export type AnalyticsEventInput = z.infer<typeof analyticsEventSchema>;
