import { createHash } from 'node:crypto';
import { Resolver, interpolateAt } from './placeholders';

/** A container's environment variable as Kubernetes takes it. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** The variables carrying secrets into mixed texts, by name; one per Secret key. */
export type SecretRefs = Map<string, EnvVar>;

/** Prefix of the variables that carry a secret into a mixed value; sorted first. */
const REF_PREFIX = '__ref_';

function refName(secret: { name: string; key: string }): string {
  const hash = createHash('sha256')
    .update(`${secret.name}\0${secret.key}`)
    .digest('hex')
    .slice(0, 16);
  return `${REF_PREFIX}${hash}`;
}

/**
 * The kubelet expands `$(NAME)` and turns `$$` into `$` in every env `value` and in
 * `command` and `args`; doubling each `$` keeps text from the Score document literal.
 */
function literal(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/**
 * A text (an env value, a command or argument) with its placeholders resolved, in
 * the kubelet's expansion syntax: each secret becomes `$(NAME)` of a variable that
 * references the Secret's key (added to `refs`), so the secret is never written
 * into the manifest.
 */
export function expandableText(
  path: string,
  text: string,
  resolve: Resolver,
  refs: SecretRefs,
): string {
  let out = '';
  for (const part of interpolateAt(path, String(text), resolve)) {
    if ('text' in part) {
      out += literal(part.text);
    } else {
      const ref = refName(part.secretKeyRef);
      refs.set(ref, {
        name: ref,
        valueFrom: { secretKeyRef: { ...part.secretKeyRef } },
      });
      out += `$(${ref})`;
    }
  }
  return out;
}

/**
 * A Score `variables` map as env vars, sorted by name. A value that is exactly one
 * secret output becomes a `secretKeyRef`; a value mixing text and secrets refers to
 * variables in `refs` by `$(NAME)` (dependent environment variables).
 */
export function renderVariables(
  path: string,
  variables: Record<string, string>,
  resolve: Resolver,
  refs: SecretRefs,
): EnvVar[] {
  const env: EnvVar[] = [];
  for (const [name, value] of Object.entries(variables)) {
    const at = `${path}.${name}`;
    const parts = interpolateAt(at, String(value), resolve);
    if (parts.length === 1 && 'secretKeyRef' in parts[0]) {
      env.push({
        name,
        valueFrom: { secretKeyRef: { ...parts[0].secretKeyRef } },
      });
    } else {
      env.push({
        name,
        value: expandableText(at, String(value), resolve, refs),
      });
    }
  }
  return env.sort((a, b) => a.name.localeCompare(b.name));
}

/** The container's env: the secret carriers first, since expansion only sees earlier variables. */
export function containerEnv(refs: SecretRefs, env: EnvVar[]): EnvVar[] {
  return [
    ...[...refs.values()].sort((a, b) => a.name.localeCompare(b.name)),
    ...env,
  ];
}
