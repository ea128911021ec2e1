import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** The kinds of catalog entity that act: people, and teams (an approving group). */
const ACTING_KINDS = ['user', 'group'];

/**
 * The catalog entity an actor names, if it names one. Records store who acted as a
 * string: a user's entity ref (`user:default/alice`), but also a service's subject
 * (`external:ci`), the provisioning worker (`worker:w1`) or a scheduled sweep
 * (`system:expiry`), which parseEntityRef would take for entities of kinds
 * `external`, `worker` and `System` that do not exist.
 */
export function actorEntityRef(actor: string): string | undefined {
  try {
    const ref = parseEntityRef(actor);
    return ACTING_KINDS.includes(ref.kind.toLocaleLowerCase('en-US'))
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    // No kind at all, e.g. `anonymous`.
    return undefined;
  }
}
