/*
 * Helpers for tests that run against Paved's local Kubernetes control plane.
 *
 * The test command starts one throwaway cluster per run (scripts/test-cluster.sh up <dir>)
 * and exports the paths of its kubeconfigs:
 *   PAVED_TEST_KUBECONFIG         admin (system:masters) kubeconfig
 *   PAVED_TEST_PORTAL_KUBECONFIG  kubeconfig of the portal's own, RBAC-limited identity
 * Tests that need the cluster call requireTestCluster(), so they fail (never skip) when
 * it is missing.
 */
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';

/** Environment variable holding the admin kubeconfig path of the test cluster. */
export const TEST_KUBECONFIG_ENV = 'PAVED_TEST_KUBECONFIG';
/** Environment variable holding the portal identity's kubeconfig path of the test cluster. */
export const TEST_PORTAL_KUBECONFIG_ENV = 'PAVED_TEST_PORTAL_KUBECONFIG';

/** The test cluster as seen from a test. */
export interface TestCluster {
  /** Admin (system:masters) configuration: bypasses RBAC. */
  kubeConfig: KubeConfig;
  adminKubeconfigPath: string;
  /** Kubeconfig of the `paved-portal` ServiceAccount (narrow ClusterRole). */
  portalKubeconfigPath: string;
  /** API server URL, e.g. https://127.0.0.1:23456 */
  url: string;
}

const START_HINT =
  'start one with: eval "$(scripts/test-cluster.sh up <dir>)" ' +
  '(and stop it with scripts/test-cluster.sh down <dir>)';

/** Loads a kubeconfig file into a new KubeConfig. */
export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/**
 * A `kubernetes` config section (as `@paved/kubernetes-access` reads it) that reaches
 * the test cluster as the portal's own, RBAC-limited identity, the way app-config
 * points at a cluster: its URL, CA file and service account token.
 */
export function portalKubernetesConfig(cluster: TestCluster) {
  const portal = loadKubeConfig(cluster.portalKubeconfigPath);
  const server = portal.getCurrentCluster()!;
  return {
    url: server.server,
    caFile: server.caFile,
    serviceAccountToken: portal.getCurrentUser()!.token,
  };
}

/**
 * Returns the test cluster named by PAVED_TEST_KUBECONFIG, or undefined when the variable
 * is unset. Throws when PAVED_TEST_KUBECONFIG is set but PAVED_TEST_PORTAL_KUBECONFIG is not,
 * or when a kubeconfig cannot be read: a half-configured environment is an error.
 */
export function getTestCluster(): TestCluster | undefined {
  const adminKubeconfigPath = process.env[TEST_KUBECONFIG_ENV];
  if (!adminKubeconfigPath) {
    return undefined;
  }
  const portalKubeconfigPath = process.env[TEST_PORTAL_KUBECONFIG_ENV];
  if (!portalKubeconfigPath) {
    throw new Error(
      `${TEST_KUBECONFIG_ENV} is set but ${TEST_PORTAL_KUBECONFIG_ENV} is not; ${START_HINT}`,
    );
  }
  const kubeConfig = loadKubeConfig(adminKubeconfigPath);
  const url = kubeConfig.getCurrentCluster()?.server;
  if (!url) {
    throw new Error(
      `${adminKubeconfigPath} (from ${TEST_KUBECONFIG_ENV}) names no cluster server`,
    );
  }
  return { kubeConfig, adminKubeconfigPath, portalKubeconfigPath, url };
}

/** Like getTestCluster(), but throws a clear error when no test cluster is configured. */
export function requireTestCluster(): TestCluster {
  const cluster = getTestCluster();
  if (!cluster) {
    throw new Error(
      `This test needs the local Kubernetes test cluster, but ${TEST_KUBECONFIG_ENV} is not set; ${START_HINT}`,
    );
  }
  return cluster;
}

/** The HTTP status of a failed client-node call, if it has one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof ApiException) {
    return error.code;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A Secret and its data decoded, as an application that mounts it reads them; read
 * with `kubeConfig`'s identity (the cluster admin's, in tests).
 */
export async function readSecret(
  kubeConfig: KubeConfig,
  name: string,
  namespace: string,
) {
  const secret = await kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name, namespace });
  const data: Record<string, string> = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
  return { secret, data };
}

/** 200 when the Secret exists, else the status of reading it (404 when it is gone). */
export function secretStatus(
  kubeConfig: KubeConfig,
  name: string,
  namespace: string,
): Promise<number | undefined> {
  return kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name, namespace })
    .then(() => 200, statusCodeOf);
}

/** A namespace created for one test. */
export interface TestNamespace {
  name: string;
  /** Requests deletion of the namespace and returns without waiting for it to be gone. */
  cleanup(): Promise<void>;
}

/** Label put on every namespace made by createTestNamespace (to find leftovers). */
export const TEST_NAMESPACE_LABEL = 'paved.dev/test-namespace';

/**
 * Creates a uniquely named namespace `<prefix>-<random>` for one test, so that tests
 * (and concurrent test runs on one cluster) never see each other's objects.
 */
export async function createTestNamespace(
  kc: KubeConfig,
  prefix = 'test',
): Promise<TestNamespace> {
  const core = kc.makeApiClient(CoreV1Api);
  // A DNS label: lower case alphanumerics and '-', at most 63 characters.
  const cleanPrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'test';
  const name = `${cleanPrefix}-${Date.now().toString(36)}-${randomBytes(
    3,
  ).toString('hex')}`;
  await core.createNamespace({
    body: {
      metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } },
    },
  });
  return {
    name,
    async cleanup() {
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        // Already gone (or being deleted by the test itself) is fine.
        if (statusCodeOf(error) !== 404) {
          throw error;
        }
      }
    },
  };
}

export { installCrd, installPrometheusRuleCrd } from './crds';

// Polling is not Kubernetes-specific; kept exported here for the tests that use it.
export { waitFor } from '@paved/test-utils';
