import {
  INCIDENT_OPEN_STATUSES,
  INCIDENT_SEVERITIES,
  IncidentStatus,
} from '@paved/plugin-incidents-common';
import { z } from 'zod';

const entityRef = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[^:/]+:([^:/]+\/)?[^:/]+$/,
    'must be an entity ref, e.g. component:default/orders-api',
  );

export const openIncidentSchema = z.strictObject({
  entityRef,
  severity: z.enum(INCIDENT_SEVERITIES),
  summary: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
});

export const noteSchema = z.strictObject({
  text: z.string().trim().min(1).max(10_000),
});

export const statusSchema = z.strictObject({
  status: z.enum(INCIDENT_OPEN_STATUSES),
});

export const resolveSchema = z.strictObject({
  cause: z.string().trim().min(1).max(10_000),
  resolution: z.string().max(10_000).optional(),
});

const STATUS_FILTERS: readonly string[] = [
  ...INCIDENT_OPEN_STATUSES,
  'resolved',
  'open',
];

const statusFilter = z
  .string()
  .refine(
    value => value.split(',').every(status => STATUS_FILTERS.includes(status)),
    `must be a comma-separated list of ${STATUS_FILTERS.join(', ')}`,
  )
  .transform(value => value.split(',') as Array<IncidentStatus | 'open'>);

export const listQuerySchema = z.object({
  entityRef: entityRef.optional(),
  owner: entityRef.optional(),
  status: statusFilter.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const statsQuerySchema = z.object({
  entityRef: entityRef.optional(),
  owner: entityRef.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});
