/*
 * The sample workloads that `./paved start` seeds (scripts/seed-cluster.mjs with
 * examples/kubernetes/*.yaml), run as a user runs them, against the real cluster.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import { requireTestCluster, waitFor } from './index';

const ROOT = path.resolve(__dirname, '../../..');
const MANIFESTS = path.join(ROOT, 'examples/kubernetes');

function seed(kubeconfig: string) {
  return execFileSync(
    process.execPath,
    [path.join(ROOT, 'scripts/seed-cluster.mjs'), kubeconfig, MANIFESTS],
    { encoding: 'utf8' },
  );
}

function manifests(): KubernetesObject[] {
  return fs
    .readdirSync(MANIFESTS)
    .filter(name => name.endsWith('.yaml'))
    .flatMap(name =>
      loadAllYaml(fs.readFileSync(path.join(MANIFESTS, name), 'utf8')),
    );
}

describe('seeding the sample workloads', () => {
  const cluster = requireTestCluster();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const objects = KubernetesObjectApi.makeApiClient(cluster.kubeConfig);

  afterAll(async () => {
    for (const ns of ['team-checkout', 'team-payments', 'team-catalog']) {
      await core.deleteNamespace({ name: ns }).catch(() => undefined);
    }
  });

  it('creates every object, and pods of labelled Deployments reach Running', async () => {
    expect(seed(cluster.adminKubeconfigPath)).toMatch(/Seeded \d+ objects/);

    for (const object of manifests()) {
      const stored = await objects.read(object as any);
      expect(stored.metadata?.name).toBe(object.metadata?.name);
    }
    // The Kubernetes tab finds a component's pods by this label.
    const deployment = await apps.readNamespacedDeployment({
      name: 'checkout-service',
      namespace: 'team-checkout',
    });
    const replicas = deployment.spec?.replicas ?? 0;
    expect(replicas).toBeGreaterThan(0);
    await waitFor(
      'checkout-service pods Running',
      async () => {
        const pods = await core.listNamespacedPod({
          namespace: 'team-checkout',
          labelSelector: 'backstage.io/kubernetes-id=checkout-service',
        });
        const running = pods.items.filter(p => p.status?.phase === 'Running');
        return running.length === replicas ? running : undefined;
      },
      { timeoutMs: 60_000 },
    );
  }, 120_000);

  it('changes nothing when run again', async () => {
    // Controllers keep updating status (and so resourceVersion); what seeding owns is
    // recorded in its managedFields entry, whose time moves only when it changes something.
    const seededFields = async () =>
      Promise.all(
        manifests().map(async o => {
          const stored = await objects.read(o as any);
          const entry = stored.metadata?.managedFields?.find(
            f => f.manager === 'paved-seed' && f.operation === 'Apply',
          );
          return {
            name: `${o.kind}/${o.metadata?.name}`,
            time: entry?.time,
            fields: entry?.fieldsV1,
          };
        }),
      );
    const before = await seededFields();
    expect(before.every(f => f.time !== undefined)).toBe(true);
    await new Promise(resolve => setTimeout(resolve, 1_100)); // managedFields times have 1 s resolution
    seed(cluster.adminKubeconfigPath);
    expect(await seededFields()).toEqual(before);
  }, 60_000);
});
