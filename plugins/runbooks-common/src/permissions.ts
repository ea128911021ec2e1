import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Running a runbook on a catalog entity. A resource permission on `catalog-entity`,
 * so that owner-based catalog conditions (e.g. `isEntityOwner`) decide it.
 *
 * @public
 */
export const runbookRunPermission = createPermission({
  name: 'runbooks.run',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** @public */
export const runbooksPermissions = [runbookRunPermission];
