import { z } from 'zod';

/** What `FactValue` allows: a string, number, boolean, list of strings or null. */
const factValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.null(),
]);

// Shapes only: which facts, operators, ids and levels are valid is decided by
// trackProblems, as for configuration, so the messages name the check.
const rule = z.object({
  fact: z.string(),
  operator: z.string(),
  value: factValue.optional(),
});

const check = z.object({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  howToFix: z.string().optional(),
  fixUrl: z.string().optional(),
  fixUrlFact: z.string().optional(),
  match: z.enum(['all', 'any']).optional(),
  appliesTo: z
    .object({
      kinds: z.array(z.string()).optional(),
      types: z.array(z.string()).optional(),
    })
    .optional(),
  rules: z.array(rule),
});

const track = z.object({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  levels: z.array(
    z.object({
      level: z.number(),
      name: z.string().optional(),
      checks: z.array(check),
    }),
  ),
});

/**
 * The body of POST /checks/preview: a whole proposed track (`track`), one check to
 * add or change in an existing track (`trackId`, `level`, `check`) or one to remove
 * (`trackId`, `removeCheck`). Titles and texts may be left out, as in configuration.
 */
export const previewRequestSchema = z.object({
  track: track.optional(),
  trackId: z.string().optional(),
  level: z.number().int().optional(),
  check: check.optional(),
  removeCheck: z.string().optional(),
});

/** A parsed body of POST /checks/preview. */
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

/** A proposed track as sent: texts may be missing until normalizeTrack fills them. */
export type ProposedTrack = z.infer<typeof track>;
