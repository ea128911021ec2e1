import {
  formatPlaceholder,
  interpolate,
  InterpolatedPart,
  InterpolatedValue,
  PlaceholderError,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';
import { RenderError } from './RenderError';

/** Resolves the placeholders of one workload's fields. */
export type Resolver = (path: string[]) => InterpolatedValue;

function describeValue(value: unknown): InterpolatedValue | undefined {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? { value }
    : undefined;
}

/**
 * `${metadata.<key>}`, `${metadata.annotations.<key>}` and
 * `${resources.<name>.<output>}` (an output name may itself hold dots), against the
 * workload and the resolved outputs of its resources.
 */
export function resolverFor(
  workload: ScoreWorkload,
  resources: Record<string, Record<string, ScoreResourceOutput>>,
): Resolver {
  return path => {
    const raw = formatPlaceholder(path);
    const [root, ...rest] = path;
    if (root === 'metadata' && rest.length > 0) {
      let current: unknown = workload.metadata;
      for (const key of rest.length > 1 && rest[0] === 'annotations'
        ? ['annotations', rest.slice(1).join('.')]
        : rest) {
        current =
          current && typeof current === 'object'
            ? (current as Record<string, unknown>)[key]
            : undefined;
      }
      const resolved = describeValue(current);
      if (!resolved) {
        throw new PlaceholderError(
          raw,
          `placeholder ${raw} names no value of the workload's metadata`,
        );
      }
      return resolved;
    }
    if (root === 'resources' && rest.length >= 2) {
      const [name, ...output] = rest;
      if (!workload.resources?.[name]) {
        throw new PlaceholderError(
          raw,
          `placeholder ${raw} names resource '${name}', which the workload does not declare under resources`,
        );
      }
      const outputs = resources[name] ?? {};
      const key = output.join('.');
      const resolved = outputs[key];
      if (!resolved) {
        const known = Object.keys(outputs).sort();
        throw new PlaceholderError(
          raw,
          `placeholder ${raw}: resource '${name}' has no output '${key}' (${
            known.length ? `it has ${known.join(', ')}` : 'it has no outputs'
          })`,
        );
      }
      return resolved;
    }
    throw new PlaceholderError(
      raw,
      `placeholder ${raw} is not one of \${metadata.<key>} or \${resources.<name>.<output>}`,
    );
  };
}

/** Interpolates the text of a field, turning an unknown placeholder into a RenderError at it. */
export function interpolateAt(
  path: string,
  text: string,
  resolve: Resolver,
): InterpolatedPart[] {
  try {
    return interpolate(text, resolve);
  } catch (error) {
    if (error instanceof PlaceholderError) {
      throw new RenderError(path, error.message);
    }
    throw error;
  }
}

/** A field's interpolated text; a secret in it is refused, since the field is not secret. */
export function interpolateText(
  path: string,
  text: string,
  resolve: Resolver,
  where: string,
): string {
  let out = '';
  for (const part of interpolateAt(path, text, resolve)) {
    if (!('text' in part)) {
      throw new RenderError(
        path,
        `a secret output (key '${part.secretKeyRef.key}' of Secret '${part.secretKeyRef.name}') cannot be used in ${where}; only variables may reference secrets`,
      );
    }
    out += part.text;
  }
  return out;
}
