/*
 * Against the local Kubernetes control plane, as the portal's RBAC-limited identity
 * (what ./paved test starts); fails (never skips) without it.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { loadKubeConfig, requireTestCluster } from '@paved/kube-test-utils';
import { randomBytes } from 'node:crypto';
import { ensureNamespace, MANAGED_BY_LABEL } from './namespaces';

const RUN = randomBytes(3).toString('hex');
const NAME = `team-ka${RUN}`;
const HANDMADE = `team-kb${RUN}`;

describe('ensureNamespace', () => {
  const cluster = requireTestCluster();
  const admin = cluster.kubeConfig.makeApiClient(CoreV1Api);

  afterAll(async () => {
    for (const name of [NAME, HANDMADE]) {
      await admin.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  it("creates the namespace labelled as Paved's", async () => {
    await ensureNamespace(
      loadKubeConfig(cluster.portalKubeconfigPath),
      NAME,
      'paved-test',
    );
    const made = await admin.readNamespace({ name: NAME });
    expect(made.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('paved');
  });

  it('leaves a namespace that exists as it is', async () => {
    await admin.createNamespace({
      body: { metadata: { name: HANDMADE, labels: { team: 'checkout' } } },
    });
    await ensureNamespace(
      loadKubeConfig(cluster.portalKubeconfigPath),
      HANDMADE,
      'paved-test',
    );
    const kept = await admin.readNamespace({ name: HANDMADE });
    expect(kept.metadata?.labels?.team).toBe('checkout');
    expect(kept.metadata?.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
  });

  it('names the namespace when the API server refuses', async () => {
    // Not a DNS label: the API server refuses the namespace.
    await expect(
      ensureNamespace(
        loadKubeConfig(cluster.portalKubeconfigPath),
        'Not_A_Name',
        'paved-test',
      ),
    ).rejects.toThrow(/^Could not (read|apply) namespace 'Not_A_Name': /);
  });
});
