import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Changing or previewing checks and evaluating every entity on demand. A basic
 * permission without the `read` action, so policies that allow reads to everyone
 * keep it closed to all but the platform's administrators.
 *
 * @public
 */
export const scorecardChecksManagePermission = createPermission({
  name: 'scorecard.checks.manage',
  attributes: {},
});

/** @public */
export const scorecardPermissions = [scorecardChecksManagePermission];
