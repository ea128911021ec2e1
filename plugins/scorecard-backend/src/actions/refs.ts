import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * An entity ref from an agent's input, normalised as the REST routes normalise
 * theirs (lower case). A malformed one is an InputError naming the field, with the
 * expected form: the agent can correct it from the message alone.
 */
export function entityRefInput(
  value: string,
  field: string,
  options: { defaultKind?: string; kind?: string } = {},
): string {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: options.defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    const example = options.kind
      ? `${options.kind}:default/platform-team`
      : 'component:default/orders';
    throw new InputError(
      `${field}: '${value}' is not an entity ref (expected [kind:][namespace/]name, e.g. ${example})`,
    );
  }
  if (
    options.kind &&
    ref.kind.toLocaleLowerCase('en-US') !==
      options.kind.toLocaleLowerCase('en-US')
  ) {
    throw new InputError(
      `${field}: '${value}' is a ${ref.kind}, not a ${options.kind}`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/** A link the portal shows (often relative, e.g. `/docs/...`) made absolute for an agent. */
export function absoluteUrl(
  url: string | undefined,
  appBaseUrl: string | undefined,
): string | undefined {
  if (!url || !appBaseUrl || !url.startsWith('/')) return url;
  return `${appBaseUrl.replace(/\/+$/, '')}${url}`;
}
