import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';

/**
 * Expects a resource type's Score outputs to fit the Secret the type writes: every
 * `secretKeyRef` names that Secret and one of its keys, and no output holds
 * `secretValue` (what the Secret was written with) itself.
 */
export function expectScoreSecretRefs(
  outputs: Record<string, ScoreResourceOutput>,
  secret: { metadata?: { name?: string }; data?: Record<string, string> },
  secretValue: string,
) {
  const refs = Object.values(outputs).flatMap(output =>
    'secretKeyRef' in output ? [output.secretKeyRef] : [],
  );
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    expect(ref.name).toBe(secret.metadata?.name);
    expect(Object.keys(secret.data ?? {})).toContain(ref.key);
  }
  expect(JSON.stringify(outputs)).not.toContain(secretValue);
}
