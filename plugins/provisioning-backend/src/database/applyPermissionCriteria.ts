import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { Knex } from 'knex';
import { RequestQuery } from './RequestStore';
import { REQUESTS } from './rows';

/** Narrows a query on requests to those a conditional decision allows. */
export function applyPermissionCriteria(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<RequestQuery>,
): void {
  if (isAndCriteria(criteria)) {
    query.where(all => {
      for (const part of criteria.allOf) {
        all.andWhere(inner => applyPermissionCriteria(inner, part));
      }
    });
  } else if (isOrCriteria(criteria)) {
    query.where(any => {
      for (const part of criteria.anyOf) {
        any.orWhere(inner => applyPermissionCriteria(inner, part));
      }
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(inner => applyPermissionCriteria(inner, criteria.not));
  } else {
    query.whereIn(`${REQUESTS}.${criteria.column}`, criteria.values);
  }
}
