import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PeopleFilter } from '../database/DashboardStore';
import { Pseudonymizer } from './Pseudonymizer';

/** A team's members as stored: the catalog's users who are members, pseudonymized. */
export class TeamResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly people: Pseudonymizer,
  ) {}

  async filterFor(team: string): Promise<PeopleFilter> {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(team, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(`team '${team}' is not a group entity ref`);
    }
    if (!ref.startsWith('group:')) {
      throw new InputError(`team '${team}' is not a group entity ref`);
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'User', 'relations.memberOf': ref },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return {
      team: ref,
      users: items.map(user => this.people.of(stringifyEntityRef(user))),
    };
  }
}
