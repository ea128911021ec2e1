import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  ApiextensionsV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
} from '@kubernetes/client-node';
import { waitFor } from '@paved/test-utils';
import { readFileSync } from 'node:fs';

/**
 * Installs (or updates) a CRD with `admin`'s identity and waits until the API server
 * serves it. The manifest is text, YAML or JSON as the API server spells it: client-node
 * serializes built-in kinds from its typed models, whose field names differ from
 * JSON's (`xKubernetesValidations`), so it is loaded into the typed model here.
 *
 * @param admin - a kubeconfig that may install CRDs
 */
export async function installCrd(admin: KubeConfig, manifest: string) {
  const crd = loadYaml<KubernetesObject>(manifest);
  await KubernetesObjectApi.makeApiClient(admin).patch(
    crd,
    undefined,
    undefined,
    'paved-test',
    true,
    PatchStrategy.ServerSideApply,
  );
  const name = crd.metadata!.name!;
  const ext = admin.makeApiClient(ApiextensionsV1Api);
  await waitFor(`the CRD ${name} to be established`, async () =>
    (
      await ext.readCustomResourceDefinition({ name })
    ).status?.conditions?.some(
      c => c.type === 'Established' && c.status === 'True',
    ),
  );
}

/**
 * Installs prometheus-operator's PrometheusRule kind, as `./paved start` seeds it; for
 * tests of resource types whose alerts are PrometheusRules.
 */
export async function installPrometheusRuleCrd(admin: KubeConfig) {
  await installCrd(
    admin,
    readFileSync(
      resolvePackagePath(
        '@paved/kube-test-utils',
        '../../examples/kubernetes/crds/prometheusrules.monitoring.coreos.com.yaml',
      ),
      'utf8',
    ),
  );
}
