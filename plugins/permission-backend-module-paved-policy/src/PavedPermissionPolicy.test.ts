import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCancelPermission,
  taskCreatePermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  provisioningRequestApprovePermission,
  provisioningRequestCreatePermission,
  provisioningRequestDeletePermission,
  provisioningRequestReadPermission,
  provisioningRequestUpdatePermission,
} from '@paved/plugin-provisioning-common';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

function userOf(...groups: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob', ...groups],
    },
    info: {
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob', ...groups],
    },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
  } as PolicyQueryUser;
}

describe('PavedPermissionPolicy', () => {
  const policy = new PavedPermissionPolicy(
    new Set(['group:default/platform-team']),
  );
  const developer = userOf('group:default/payments-team');
  const platformEngineer = userOf('group:default/platform-team');

  it('lets everyone read', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      developer,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('lets everyone register components and run templates', async () => {
    for (const permission of [
      catalogLocationCreatePermission,
      taskCreatePermission,
    ]) {
      const decision = await policy.handle({ permission }, developer);
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('lets only owners unregister an entity', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      developer,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/bob', 'group:default/payments-team'],
        },
      },
    });
  });

  it('lets users cancel only their own template runs', async () => {
    const decision = await policy.handle(
      { permission: taskCancelPermission },
      developer,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_TASK_OWNER',
        params: { createdBy: ['user:default/bob'] },
      },
    });
  });

  it('lets owning groups request, change and delete provisioned resources', async () => {
    for (const permission of [
      provisioningRequestCreatePermission,
      provisioningRequestUpdatePermission,
      provisioningRequestDeletePermission,
    ]) {
      const decision = await policy.handle({ permission }, developer);
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'provisioning',
        resourceType: 'provisioning-request',
        conditions: {
          rule: 'IS_REQUEST_OWNER',
          resourceType: 'provisioning-request',
          params: {
            claims: ['user:default/bob', 'group:default/payments-team'],
          },
        },
      });
    }
    expect(
      (
        await policy.handle(
          { permission: provisioningRequestReadPermission },
          developer,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('lets the group a request is routed to approve it', async () => {
    const decision = await policy.handle(
      { permission: provisioningRequestApprovePermission },
      developer,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_REQUEST_APPROVER',
        params: {
          claims: ['user:default/bob', 'group:default/payments-team'],
        },
      },
    });
    expect(
      (
        await policy.handle(
          { permission: provisioningRequestApprovePermission },
          platformEngineer,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('refuses administrative changes to developers', async () => {
    for (const permission of [
      catalogLocationDeletePermission,
      templateManagementPermission,
      kubernetesProxyPermission,
    ]) {
      const decision = await policy.handle({ permission }, developer);
      expect(decision.result).toBe(AuthorizeResult.DENY);
    }
  });

  it('denies unknown mutations but allows unknown reads', async () => {
    const mutate = createPermission({
      name: 'someplugin.thing.delete',
      attributes: { action: 'delete' },
    });
    const read = createPermission({
      name: 'someplugin.thing.read',
      attributes: { action: 'read' },
    });
    expect(
      (await policy.handle({ permission: mutate }, developer)).result,
    ).toBe(AuthorizeResult.DENY);
    expect((await policy.handle({ permission: read }, developer)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('lets the admin groups do anything', async () => {
    for (const permission of [
      catalogLocationDeletePermission,
      catalogEntityDeletePermission,
      kubernetesProxyPermission,
    ]) {
      const decision = await policy.handle({ permission }, platformEngineer);
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('treats a request without a user as a stranger', async () => {
    const decision = await policy.handle({
      permission: catalogLocationDeletePermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });
});
