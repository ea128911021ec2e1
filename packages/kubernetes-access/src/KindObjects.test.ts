/*
 * Against the local Kubernetes control plane (what ./paved test starts); fails (never
 * skips) without it. ConfigMaps stand for a custom kind: what KindObjects does is the
 * same for every kind.
 */
import { CoreV1Api, V1ConfigMap } from '@kubernetes/client-node';
import { requireTestCluster } from '@paved/kube-test-utils';
import { randomBytes } from 'node:crypto';
import {
  InvalidObjectError,
  KindObjects,
  MissingKindError,
} from './KindObjects';

const NAMESPACE = `kind-objects-${randomBytes(3).toString('hex')}`;

describe('KindObjects', () => {
  const cluster = requireTestCluster();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const configMaps = new KindObjects<V1ConfigMap>(cluster.kubeConfig, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    fieldManager: 'paved-test',
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  it('applies, reads and deletes objects of its kind in a namespace it makes', async () => {
    await configMaps.ensureNamespace(NAMESPACE);
    expect(await configMaps.read(NAMESPACE, 'settings')).toBeUndefined();
    await configMaps.apply({
      ...configMaps.ref(NAMESPACE, 'settings'),
      data: { size: 'small' },
    });
    // Changed by someone else, then applied again: the applied fields win.
    await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: NAMESPACE,
      body: { metadata: { name: 'settings' }, data: { size: 'huge' } },
    });
    const applied = await configMaps.apply({
      ...configMaps.ref(NAMESPACE, 'settings'),
      data: { size: 'medium' },
    });
    expect(applied.data).toEqual({ size: 'medium' });
    expect((await configMaps.read(NAMESPACE, 'settings'))?.data).toEqual({
      size: 'medium',
    });
    expect(await configMaps.delete(NAMESPACE, 'settings')).toBe(true);
    expect(await configMaps.delete(NAMESPACE, 'settings')).toBe(false);
    expect(await configMaps.read(NAMESPACE, 'settings')).toBeUndefined();
  });

  it('says the API server refused an invalid object', async () => {
    const refused = configMaps
      .apply({
        ...configMaps.ref(NAMESPACE, 'invalid'),
        data: { 'not a key': 'x' },
      })
      .catch(error => error);
    expect(await refused).toBeInstanceOf(InvalidObjectError);
    expect((await refused).message).toMatch(
      new RegExp(
        `^The Kubernetes API refused ConfigMap '${NAMESPACE}/invalid': `,
      ),
    );
  });

  it('says when the API server does not serve the kind, with the hint', async () => {
    const missing = new KindObjects(cluster.kubeConfig, {
      apiVersion: 'missing.paved.dev/v1',
      kind: 'Nothing',
      fieldManager: 'paved-test',
      missingKindHint: 'is its CRD installed?',
    });
    for (const call of [
      () => missing.apply(missing.ref(NAMESPACE, 'x')),
      () => missing.read(NAMESPACE, 'x'),
      () => missing.delete(NAMESPACE, 'x'),
    ]) {
      const failed = await call().catch(error => error);
      expect(failed).toBeInstanceOf(MissingKindError);
      expect(failed.message).toMatch(
        new RegExp(
          `^Could not (apply|read|delete) Nothing '${NAMESPACE}/x': the Kubernetes API does not serve missing.paved.dev/v1 Nothing \\(is its CRD installed\\?\\): `,
        ),
      );
    }
  });
});
