import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { actorEntityRef } from './actorEntityRef';

/**
 * Who did something, as people expect to read it: a person or team of the catalog
 * by their name ("Alice Nakamura", "Platform Team"), linked to their page; any
 * other actor (a service, the worker) as it was recorded.
 */
export function ActorName(props: { actor: string }) {
  const entityRef = actorEntityRef(props.actor);
  return entityRef ? (
    <EntityRefLink entityRef={entityRef} hideIcon />
  ) : (
    <>{props.actor}</>
  );
}
