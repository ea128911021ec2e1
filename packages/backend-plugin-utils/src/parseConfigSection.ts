import { z } from 'zod';

/** `['targets', 1, 'port']` under `provisioning.postgres` as `provisioning.postgres.targets[1].port`. */
function keyOf(root: string, path: PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === 'number' ? `${key}[${part}]` : `${key}.${String(part)}`,
    root,
  );
}

/**
 * Parses a config section (`value`, as `config.get()` gives it) with a zod schema.
 * A section that does not fit is an error naming every invalid key in full, e.g.
 * `Invalid config: provisioning.s3.region: must be a region name; provisioning.s3.bucket: is not a setting`,
 * so that the backend does not start with it. The message never carries a value:
 * passwords and secret keys are among them.
 *
 * @param key - the section's full config key, e.g. `provisioning.s3`
 * @public
 */
export function parseConfigSection<T extends z.ZodType>(
  schema: T,
  value: unknown,
  key: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.flatMap(issue =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map(
            unknown =>
              `${keyOf(key, [...issue.path, unknown])}: is not a setting`,
          )
        : [`${keyOf(key, issue.path)}: ${issue.message}`],
    );
    throw new Error(`Invalid config: ${problems.join('; ')}`);
  }
  return result.data;
}
