import { z } from 'zod';

const trackId = z.string().min(1).optional();

/** `?trackId=`: the track; the first when left out. */
export const trackQuerySchema = z.object({ trackId });

/** The query of GET /entities/{entityRef}/history. */
export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The query of GET /organization/trend. */
export const trendQuerySchema = z.object({
  trackId,
  days: z.coerce.number().int().min(1).max(730).default(90),
});

/** The body of POST /evaluate: one entity, or every entity when left out. */
export const evaluateBodySchema = z.object({
  entityRef: z.string().optional(),
});
