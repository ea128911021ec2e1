import { z } from 'zod';
import { REQUEST_STATES, RequestState } from './requests';

/** Names are DNS labels, so that types can use them as resource names. @public */
export const REQUEST_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const requiredString = (what = 'a string') =>
  z.string({
    error: issue =>
      issue.input === undefined ? 'is required' : `must be ${what}`,
  });

const jsonObject = z.record(z.string(), z.unknown(), {
  error: issue =>
    issue.input === undefined ? 'is required' : 'must be an object',
});

/**
 * Body of `POST /requests`.
 *
 * @public
 */
export const createRequestBodySchema = z.strictObject({
  type: requiredString().min(1, 'is required'),
  name: requiredString()
    .max(63, 'must be at most 63 characters')
    .regex(
      REQUEST_NAME_PATTERN,
      'must be lowercase letters, digits and dashes, starting and ending with a letter or digit',
    ),
  owner: requiredString('a group entity ref').min(1, 'is required'),
  parameters: jsonObject.optional(),
});

/** @public */
export type CreateRequestBody = z.infer<typeof createRequestBodySchema>;

/**
 * Body of `POST /requests/:id/approve` and `/reject`. A rejection needs a comment.
 *
 * @public
 */
export const decisionBodySchema = z.strictObject({
  comment: requiredString()
    .max(2000, 'must be at most 2000 characters')
    .optional(),
});

/** @public */
export type DecisionBody = z.infer<typeof decisionBodySchema>;

/**
 * Body of `POST /requests/:id/actions/:action`. With an `idempotencyKey`, repeating
 * the call returns the operation the first call queued.
 *
 * @public
 */
export const actionBodySchema = z.strictObject({
  input: jsonObject.optional(),
  idempotencyKey: requiredString()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .optional(),
});

/** @public */
export type ActionBody = z.infer<typeof actionBodySchema>;

const stateList = z
  .string()
  .transform(value => value.split(',').map(state => state.trim()))
  .pipe(
    z.array(
      z.enum(REQUEST_STATES as [RequestState, ...RequestState[]], {
        error: `must be one of ${REQUEST_STATES.join(', ')}`,
      }),
    ),
  );

/**
 * Query of `GET /requests`. `owner` and `state` take comma-separated lists.
 *
 * @public
 */
export const listRequestsQuerySchema = z.strictObject({
  owner: z
    .string()
    .transform(value =>
      value
        .split(',')
        .map(owner => owner.trim())
        .filter(Boolean),
    )
    .optional(),
  type: z.string().optional(),
  name: z.string().optional(),
  state: stateList.optional(),
  approvalGroup: z.string().optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(100),
  offset: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(0),
});

/** @public */
export type ListRequestsQuery = z.infer<typeof listRequestsQuerySchema>;

/**
 * The body of `POST /requests/{id}/extend`: how many hours from now the resource
 * should live, at most its type's limit.
 *
 * @public
 */
export const extendBodySchema = z.strictObject({
  hours: z
    .number({ error: 'must be a number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1'),
});

/** @public */
export type ExtendBody = z.infer<typeof extendBodySchema>;
