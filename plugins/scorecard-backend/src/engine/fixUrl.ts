import { CheckDefinition, FactValue } from '@paved/plugin-scorecard-common';

/**
 * The link a failing check offers an entity: its own (the string value of the
 * check's fixUrlFact, e.g. the open change request that fixes it) when it has one,
 * else the check's general fixUrl (docs, a template).
 */
export function fixUrlOf(
  check: Pick<CheckDefinition, 'fixUrl' | 'fixUrlFact'>,
  facts: Record<string, FactValue | undefined>,
): string | undefined {
  if (check.fixUrlFact) {
    const own = facts[check.fixUrlFact];
    if (typeof own === 'string' && own.trim() !== '') return own;
  }
  return check.fixUrl;
}
