import { KubernetesObject } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { KubernetesObjects } from './kubernetes';
import { DesiredObject } from './manifests';

type Json = Record<string, any>;

/** What an object is meant to be: everything but the API server's bookkeeping. */
function intent(object: KubernetesObject): Json {
  const { metadata, status, ...rest } = JSON.parse(JSON.stringify(object));
  return { labels: metadata?.labels ?? {}, ...rest };
}

/**
 * Puts back the guard rails of an environment that someone changed or removed by
 * hand, and says what it did. A forced server-side apply in dry-run mode shows what
 * the object would be with Paved's fields restored (with the API server's defaults
 * and quantity spellings, so no false alarms); when that differs from the object,
 * it was changed.
 */
export async function correctDrift(
  objects: KubernetesObjects,
  desired: DesiredObject[],
): Promise<string[]> {
  const corrections: string[] = [];
  for (const object of desired) {
    const what = `${object.kind} ${object.metadata.name}`;
    const current = await objects.read(object as DesiredObject);
    if (!current) {
      await objects.apply(object);
      corrections.push(`${what} was missing; recreated`);
      continue;
    }
    const restored = await objects.apply(object, { dryRun: true });
    if (!isDeepStrictEqual(intent(current), intent(restored))) {
      await objects.apply(object);
      corrections.push(`${what} was changed by hand; restored`);
    }
  }
  return corrections;
}
