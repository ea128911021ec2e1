import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Viewing the adoption dashboard. Deliberately without an `action` attribute: Paved's
 * policy allows every `read` permission to everyone, and the dashboard is for the
 * platform team (the policy's admin groups) only.
 *
 * @public
 */
export const adoptionDashboardViewPermission = createPermission({
  name: 'adoption.dashboard.view',
  attributes: {},
});

/** @public */
export const adoptionPermissions = [adoptionDashboardViewPermission];
