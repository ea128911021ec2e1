import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A group the signed-in user belongs to. */
export interface UserGroup {
  ref: string;
  title: string;
}

export interface UserGroups {
  userEntityRef: string;
  groups: UserGroup[];
}

/**
 * The groups of the signed-in user (their ownership refs of kind group), named as the
 * catalog names them. Requests are owned by groups, so these are the owners the
 * user can pick and the approvals they can be asked for.
 */
export function useUserGroups() {
  const identityApi = useApi(coreApis.identity);
  const catalogApi = useApi(catalogApiRef);

  return useAsync(async (): Promise<UserGroups> => {
    const { userEntityRef, ownershipEntityRefs } =
      await identityApi.getBackstageIdentity();
    const refs = ownershipEntityRefs
      .filter(ref => parseEntityRef(ref).kind.toLocaleLowerCase() === 'group')
      .map(ref => stringifyEntityRef(parseEntityRef(ref)));
    const titles = new Map<string, string>();
    try {
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'spec.profile.displayName',
        ],
      });
      for (const entity of items) {
        if (entity) {
          const profile = (entity.spec?.profile ?? {}) as {
            displayName?: string;
          };
          const title = profile.displayName ?? entity.metadata.title;
          if (title) {
            titles.set(stringifyEntityRef(entity), title);
          }
        }
      }
    } catch {
      // Without the catalog the refs still name the groups.
    }
    return {
      userEntityRef,
      groups: refs
        .map(ref => ({
          ref,
          title: titles.get(ref) ?? parseEntityRef(ref).name,
        }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    };
  }, [identityApi, catalogApi]);
}
