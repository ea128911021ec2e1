import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Proposing a template upgrade on a component: a catalog-entity permission, so the
 * policy's owner rule decides (owners and the platform team).
 *
 * @public
 */
export const upgradesChangeProposePermission = createPermission({
  name: 'upgrades.change.propose',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Merging or closing a component's change request: owners and the platform team. @public */
export const upgradesChangeMergePermission = createPermission({
  name: 'upgrades.change.merge',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Creating and running campaigns: a basic permission that the policy only grants
 * to the platform team (unknown mutations are refused to everyone else).
 *
 * @public
 */
export const upgradesCampaignManagePermission = createPermission({
  name: 'upgrades.campaign.manage',
  attributes: { action: 'create' },
});

/** @public */
export const upgradesPermissions = [
  upgradesChangeProposePermission,
  upgradesChangeMergePermission,
  upgradesCampaignManagePermission,
];
