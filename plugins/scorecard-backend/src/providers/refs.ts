import { Entity } from '@backstage/catalog-model';

// Entity refs are computed for every entity by every provider; once per object.
const refs = new WeakMap<Entity, string>();

/** An entity's ref in lower case, the key of every fact batch. */
export function refOf(entity: Entity): string {
  let ref = refs.get(entity);
  if (ref === undefined) {
    ref = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
      entity.metadata.name
    }`.toLocaleLowerCase('en-US');
    refs.set(entity, ref);
  }
  return ref;
}

/** The targets of an entity's relations of one type, lower case. */
export const relationTargets = (entity: Entity, type: string) => {
  const out: string[] = [];
  for (const r of entity.relations ?? []) {
    if (r.type === type) out.push(r.targetRef.toLocaleLowerCase('en-US'));
  }
  return out;
};
