#!/usr/bin/env node
/* eslint-disable no-console */
// Seeds the sample organization's workloads (examples/kubernetes/*.yaml) into a cluster
// with server-side apply, so that running it again changes nothing.
//
//   node scripts/seed-cluster.mjs <kubeconfig> [manifest folder]
//
// Custom resource definitions (crds/*.yaml) go first and are awaited until served,
// then Namespaces, then everything else in file order; a Deployment's pods are
// scheduled onto the simulated (kwok) nodes and report Running.
import fs from 'node:fs';
import path from 'node:path';
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
} from '@kubernetes/client-node';

const FIELD_MANAGER = 'paved-seed';

export async function seedCluster(kubeconfigPath, manifestDir) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const client = KubernetesObjectApi.makeApiClient(kc);
  const crdDir = path.join(manifestDir, 'crds');
  const crds = fs.existsSync(crdDir)
    ? fs
        .readdirSync(crdDir)
        .filter(name => name.endsWith('.yaml'))
        .sort()
        .flatMap(name =>
          loadAllYaml(fs.readFileSync(path.join(crdDir, name), 'utf8')),
        )
        .filter(Boolean)
    : [];
  for (const crd of crds) {
    await client.patch(
      crd,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
  await waitUntilEstablished(client, crds);
  const objects = fs
    .readdirSync(manifestDir)
    .filter(name => name.endsWith('.yaml'))
    .sort()
    .flatMap(name =>
      loadAllYaml(fs.readFileSync(path.join(manifestDir, name), 'utf8')),
    )
    .filter(Boolean);
  const ordered = [
    ...objects.filter(o => o.kind === 'Namespace'),
    ...objects.filter(o => o.kind !== 'Namespace'),
  ];
  for (const object of ordered) {
    await client.patch(
      object,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
  return crds.length + ordered.length;
}

async function waitUntilEstablished(client, crds) {
  for (const crd of crds) {
    for (let attempt = 0; ; attempt++) {
      const current = await client.read(crd);
      if (
        current.status?.conditions?.some(
          c => c.type === 'Established' && c.status === 'True',
        )
      ) {
        break;
      }
      if (attempt > 100) {
        throw new Error(`CRD ${crd.metadata.name} was not established in 20 s`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
}

const isMain =
  process.argv[1] &&
  path.resolve(process.argv[1]) === new URL(import.meta.url).pathname;
if (isMain) {
  const [
    kubeconfig,
    dir = new URL('../examples/kubernetes', import.meta.url).pathname,
  ] = process.argv.slice(2);
  if (!kubeconfig) {
    console.error('usage: seed-cluster.mjs <kubeconfig> [manifest folder]');
    process.exit(2);
  }
  seedCluster(kubeconfig, dir).then(
    count => console.log(`Seeded ${count} objects from ${dir}`),
    error => {
      console.error(`Seeding failed: ${error.body?.message ?? error.message}`);
      process.exit(1);
    },
  );
}
