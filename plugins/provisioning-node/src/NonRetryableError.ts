import { CustomErrorBase } from '@backstage/errors';

/**
 * Thrown by a step when retrying cannot help; the operation fails at once with this
 * error as its reason.
 *
 * @public
 */
export class NonRetryableError extends CustomErrorBase {
  name = 'NonRetryableError' as const;
}
