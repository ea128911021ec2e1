import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Opening an incident on a catalog entity. A resource permission on
 * `catalog-entity`, so the policy's ownership condition on entities decides: the
 * entity's owning team (and the platform team) may open incidents on it.
 *
 * @public
 */
export const incidentCreatePermission = createPermission({
  name: 'incident.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Adding notes to, changing the status of and resolving an incident, checked
 * against the incident's entity like {@link incidentCreatePermission}.
 *
 * @public
 */
export const incidentUpdatePermission = createPermission({
  name: 'incident.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission of the incidents plugin. @public */
export const incidentPermissions = [
  incidentCreatePermission,
  incidentUpdatePermission,
];
