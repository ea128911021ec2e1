/*
 * Crossplane, as far as a test can have it here. Its controllers cannot run on these
 * machines (their modules are not served whole, and the test cluster's nodes run no
 * containers), so tests apply to the real API server what Crossplane would have
 * there, and play its controllers by writing status:
 *
 * - the CompositeResourceDefinition CRD: Crossplane's own, read at test time from
 *   its Go module (`go mod download`, the module cache after the first time);
 * - an XRD, established by the test as Crossplane's XRD controller would;
 * - the CRD Crossplane generates for the XRD's composite resources: `xrCrdFor`, a
 *   port of `ForCompositeResource` in Crossplane's internal/xcrd (crd.go,
 *   schemas.go) for namespaced XRDs, at the version below.
 */
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
  loadYaml,
  PatchStrategy,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { JsonObject } from '@backstage/types';
import { installCrd } from '@paved/kube-test-utils';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompositeResourceDefinition, XRD_GROUP, XRD_PLURAL } from '../xrd';

/** The Crossplane release whose CRDs the tests apply. */
export const CROSSPLANE_MODULE = 'github.com/crossplane/crossplane/v2@v2.2.0';
const XRD_CRD_FILE =
  'cluster/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml';

/** Who applies as the test (as opposed to the portal, or Crossplane played by the test). */
const TEST_MANAGER = 'paved-test';

/** Crossplane's CompositeResourceDefinition CRD, from its Go module. */
export function crossplaneXrdCrd(): KubernetesObject {
  let dir: string;
  try {
    const out = execFileSync(
      'go',
      ['mod', 'download', '-json', CROSSPLANE_MODULE],
      {
        cwd: tmpdir(),
        env: { ...process.env, GOFLAGS: '-mod=mod' },
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    dir = JSON.parse(out).Dir;
  } catch (error) {
    throw new Error(
      `This test reads Crossplane's XRD CRD from the Go module ${CROSSPLANE_MODULE} and needs 'go' on PATH and the Go module proxy (or the module in the cache): ${
        (error as Error).message
      }`,
    );
  }
  const [crd] = loadAllYaml(
    readFileSync(join(dir, XRD_CRD_FILE), 'utf8'),
  ) as KubernetesObject[];
  return crd;
}

/**
 * Server-side applies `object` (plain JSON, as the API server spells it) as the
 * test's admin.
 */
export async function applyAsAdmin<T extends KubernetesObject>(
  admin: KubeConfig,
  object: T,
): Promise<T> {
  // client-node serializes built-in kinds from its typed models, whose field names
  // differ from JSON's (`xKubernetesValidations`, `_enum`): plain JSON would lose
  // them. Loading it (JSON is YAML) makes the typed model first.
  return KubernetesObjectApi.makeApiClient(admin).patch(
    loadYaml<T>(JSON.stringify(object)),
    undefined,
    undefined,
    TEST_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
}

/** Plays Crossplane's XRD controller: marks the XRD established. */
export async function establishXrd(admin: KubeConfig, name: string) {
  const custom = admin.makeApiClient(CustomObjectsApi);
  const ref = { group: XRD_GROUP, version: 'v2', plural: XRD_PLURAL, name };
  const current = (await custom.getClusterCustomObject(
    ref,
  )) as CompositeResourceDefinition;
  await custom.replaceClusterCustomObjectStatus({
    ...ref,
    body: {
      ...current,
      status: {
        conditions: [
          {
            type: 'Established',
            status: 'True',
            reason: 'WatchingCompositeResource',
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      },
    },
  });
}

const objectOf = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};

/** `CompositeResourceSpecProps(Namespaced, nil)`: v2's machinery under `spec.crossplane`. */
function crossplaneSpecProps(): JsonObject {
  const nameRef = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' } },
  };
  const labelSelector = {
    type: 'object',
    required: ['matchLabels'],
    properties: {
      matchLabels: {
        type: 'object',
        additionalProperties: { type: 'string' },
      },
    },
  };
  return {
    crossplane: {
      type: 'object',
      description:
        'Configures how Crossplane will reconcile this composite resource',
      properties: {
        compositionRef: nameRef,
        compositionSelector: labelSelector,
        compositionRevisionRef: nameRef,
        compositionRevisionSelector: labelSelector,
        compositionUpdatePolicy: {
          type: 'string',
          enum: ['Automatic', 'Manual'],
        },
        resourceRefs: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              name: { type: 'string' },
              kind: { type: 'string' },
            },
            required: ['apiVersion', 'kind'],
          },
          'x-kubernetes-list-type': 'atomic',
        },
      },
    },
  };
}

/** `CompositeResourceStatusProps(Namespaced)`: only the conditions. */
function compositeStatusProps(): JsonObject {
  return {
    conditions: {
      description: 'Conditions of the resource.',
      type: 'array',
      'x-kubernetes-list-map-keys': ['type'],
      'x-kubernetes-list-type': 'map',
      items: {
        type: 'object',
        required: ['lastTransitionTime', 'reason', 'status', 'type'],
        properties: {
          lastTransitionTime: { type: 'string', format: 'date-time' },
          message: { type: 'string' },
          reason: { type: 'string' },
          status: { type: 'string' },
          type: { type: 'string' },
          observedGeneration: { type: 'integer', format: 'int64' },
        },
      },
    },
  };
}

const PRINTER_COLUMNS = [
  {
    name: 'SYNCED',
    type: 'string',
    jsonPath: ".status.conditions[?(@.type=='Synced')].status",
  },
  {
    name: 'READY',
    type: 'string',
    jsonPath: ".status.conditions[?(@.type=='Ready')].status",
  },
  {
    name: 'COMPOSITION',
    type: 'string',
    jsonPath: '.spec.crossplane.compositionRef.name',
  },
  {
    name: 'COMPOSITIONREVISION',
    type: 'string',
    jsonPath: '.spec.crossplane.compositionRevisionRef.name',
    priority: 1,
  },
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** Keeps the keys whose values are defined, as Go's `omitempty` does. */
const defined = (object: Record<string, unknown>): JsonObject =>
  Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as JsonObject;

/** `genCrdVersion` with the composite resource's props merged in. */
function crdVersionOf(
  version: CompositeResourceDefinition['spec']['versions'][number] & {
    deprecated?: boolean;
    deprecationWarning?: string;
    additionalPrinterColumns?: unknown[];
  },
) {
  const s = objectOf(version.schema?.openAPIV3Schema);
  const props = objectOf(s.properties);
  const xSpec = objectOf(props.spec);
  const xStatus = objectOf(props.status);
  const declaredMax = objectOf(
    objectOf(objectOf(props.metadata).properties).name,
  ).maxLength;
  const maxLength =
    typeof declaredMax === 'number' && declaredMax < 63 ? declaredMax : 63;
  const spec = defined({
    type: 'object',
    description: xSpec.description,
    required: Array.isArray(xSpec.required) ? xSpec.required : undefined,
    'x-kubernetes-preserve-unknown-fields':
      xSpec['x-kubernetes-preserve-unknown-fields'],
    'x-kubernetes-validations': xSpec['x-kubernetes-validations'],
    oneOf: xSpec.oneOf,
    properties: { ...objectOf(xSpec.properties), ...crossplaneSpecProps() },
  });
  const status = defined({
    type: 'object',
    description: xStatus.description,
    required: xStatus.required,
    'x-kubernetes-validations': xStatus['x-kubernetes-validations'],
    oneOf: xStatus.oneOf,
    properties: { ...objectOf(xStatus.properties), ...compositeStatusProps() },
  });
  return defined({
    name: version.name,
    served: version.served,
    storage: version.referenceable,
    deprecated: version.deprecated ?? false,
    deprecationWarning: version.deprecationWarning,
    additionalPrinterColumns: [
      ...(version.additionalPrinterColumns ?? []),
      ...PRINTER_COLUMNS,
    ],
    subresources: { status: {} },
    schema: {
      openAPIV3Schema: defined({
        type: 'object',
        description: s.description,
        'x-kubernetes-validations': s['x-kubernetes-validations'],
        required: ['spec'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: {
            type: 'object',
            properties: { name: { type: 'string', maxLength } },
          },
          spec,
          status,
        },
      }),
    },
  });
}

/**
 * The CRD Crossplane's XRD controller makes for a namespaced XRD (as read back from
 * the API server, with its uid): owned by the XRD, in the `composite` category, with
 * v2's `spec.crossplane` and the conditions in each version's schema.
 */
export function xrCrdFor(xrd: CompositeResourceDefinition): KubernetesObject {
  const spec = xrd.spec as CompositeResourceDefinition['spec'] & {
    names: { categories?: string[] };
    conversion?: unknown;
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: xrd.metadata!.name,
      labels: xrd.metadata?.labels,
      ownerReferences: [
        {
          apiVersion: xrd.apiVersion!,
          kind: xrd.kind!,
          name: xrd.metadata!.name!,
          uid: xrd.metadata!.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: defined({
      group: spec.group,
      names: {
        ...spec.names,
        categories: [...(spec.names.categories ?? []), 'composite'],
      },
      scope: 'Namespaced',
      conversion: spec.conversion,
      versions: spec.versions.map(crdVersionOf),
    }),
  } as KubernetesObject;
}

/**
 * Grants the portal's identity (the `paved-portal` service account) what the module
 * needs on the test's XRD: read XRDs, and write its composite resources. Returns how
 * to take it back.
 */
export async function grantPortal(
  admin: KubeConfig,
  name: string,
  composite: { group: string; plural: string },
): Promise<() => Promise<void>> {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await applyAsAdmin(admin, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [
      {
        apiGroups: [XRD_GROUP],
        resources: [XRD_PLURAL],
        verbs: ['get', 'list'],
      },
      {
        apiGroups: [composite.group],
        resources: [composite.plural],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
    ],
  } as KubernetesObject);
  await applyAsAdmin(admin, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name,
    },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: 'paved-portal',
        namespace: 'paved-system',
      },
    ],
  } as KubernetesObject);
  return async () => {
    await rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
    await rbac.deleteClusterRole({ name }).catch(() => undefined);
  };
}

/**
 * Everything Crossplane would have for `xrd`: its own XRD CRD, the XRD (established),
 * and the CRD of its composite resources; and the portal's rights on them. Returns
 * the XRD as the API server has it, and how to remove it all.
 */
export async function installTestXrd(
  admin: KubeConfig,
  xrd: CompositeResourceDefinition,
): Promise<{ xrd: CompositeResourceDefinition; cleanup(): Promise<void> }> {
  const name = xrd.metadata!.name!;
  const custom = admin.makeApiClient(CustomObjectsApi);
  const ref = { group: XRD_GROUP, version: 'v2', plural: XRD_PLURAL, name };
  await installCrd(admin, JSON.stringify(crossplaneXrdCrd()));
  await applyAsAdmin(admin, xrd);
  await establishXrd(admin, name);
  const stored = (await custom.getClusterCustomObject(
    ref,
  )) as CompositeResourceDefinition;
  await installCrd(admin, JSON.stringify(xrCrdFor(stored)));
  const revoke = await grantPortal(admin, `paved-test-${name}`, {
    group: xrd.spec.group,
    plural: xrd.spec.names.plural,
  });
  return {
    xrd: stored,
    async cleanup() {
      await revoke();
      await custom.deleteClusterCustomObject(ref).catch(() => undefined);
      // Owned by the XRD, so garbage-collected too; deleted here without waiting.
      await admin
        .makeApiClient(ApiextensionsV1Api)
        .deleteCustomResourceDefinition({ name })
        .catch(() => undefined);
    },
  };
}
