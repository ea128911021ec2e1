/*
 * Composite resources end to end: the real provisioning plugin (HTTP API, worker),
 * this module, and the real Kubernetes API server, written to as the portal's
 * RBAC-limited identity. Crossplane's controllers cannot run here: the test applies
 * Crossplane's own XRD CRD (from its Go module), an XRD, and the CRD Crossplane
 * would generate for it, and plays Crossplane by writing status and finalizers
 * (see __testUtils__/crossplane.ts). Needs what ./paved test starts; fails (never
 * skips) without it.
 */
import { JsonValue } from '@backstage/types';
import { mockServices, TestBackend } from '@backstage/backend-test-utils';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
} from '@kubernetes/client-node';
import {
  portalKubernetesConfig,
  requireTestCluster,
  TestCluster,
  waitFor,
} from '@paved/kube-test-utils';
import { teamNamespace } from '@paved/plugin-provisioning-common';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  provisioningApi,
  startProvisioningBackend,
  testWorkerConfig,
} from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { applyAsAdmin, installTestXrd } from './__testUtils__/crossplane';
import { XBUCKET_PARAMETERS, xbucketXrd } from './__testUtils__/xbucket';
import { CompositeResource } from './CompositeResources';
import { Condition } from './xrd';
import provisioningModuleCrossplane from './index';

jest.setTimeout(120_000);

/** A prefix of this run's names, so that runs on one cluster never meet. */
const RUN = `x${randomBytes(3).toString('hex')}`;
const GROUP = `${RUN}.paved.example.org`;
const XRD_NAME = `xbuckets.${GROUP}`;
const TYPE_ID = `xr-xbuckets-${RUN}-paved-example-org`;
const VERSION = 'v1beta1';
const OWNER = `group:default/${RUN}-team`;
const NAMESPACE = teamNamespace(OWNER);
const BOB = 'user:default/bob';
const FINALIZER = 'composite.apiextensions.crossplane.io';

let cluster: TestCluster;
let admin: KubeConfig;
let custom: CustomObjectsApi;
let cleanup: () => Promise<void>;

/** The XBucket `<namespace>/<name>`, as the custom objects API names it. */
const xrRef = (name: string, namespace = NAMESPACE) => ({
  group: GROUP,
  version: VERSION,
  namespace,
  plural: 'xbuckets',
  name,
});

const readXr = async (name: string, namespace = NAMESPACE) =>
  (await custom.getNamespacedCustomObject(
    xrRef(name, namespace),
  )) as CompositeResource;

/** Plays Crossplane's finalizer: sets the XR's finalizers. */
const setFinalizers = (xr: CompositeResource, finalizers: string[]) =>
  custom.replaceNamespacedCustomObject({
    ...xrRef(xr.metadata!.name!),
    body: { ...xr, metadata: { ...xr.metadata, finalizers } },
  });

/** Plays Crossplane's composite controller: writes the XR's status. */
async function setStatus(
  name: string,
  conditions: Array<Omit<Condition, 'lastTransitionTime'>>,
  fields: object = {},
) {
  const current = await readXr(name);
  const now = new Date().toISOString();
  await custom.replaceNamespacedCustomObjectStatus({
    ...xrRef(name),
    body: {
      ...current,
      status: {
        ...fields,
        conditions: conditions.map(c => ({
          observedGeneration: current.metadata?.generation,
          lastTransitionTime: now,
          ...c,
        })),
      },
    },
  });
}

const READY_AND_SYNCED = [
  { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
  { type: 'Ready', status: 'True', reason: 'Available' },
];

beforeAll(async () => {
  cluster = requireTestCluster();
  admin = cluster.kubeConfig;
  custom = admin.makeApiClient(CustomObjectsApi);
  ({ cleanup } = await installTestXrd(admin, xbucketXrd(GROUP)));
});

afterAll(async () => {
  await admin
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: NAMESPACE })
    .catch(() => undefined);
  await cleanup?.();
});

/** A test backend with this module, offering per `offer`. */
function startBackend(
  offer: JsonValue,
  extra: { scheduler?: ReturnType<typeof mockServices.scheduler> } = {},
) {
  return startProvisioningBackend({
    features: [provisioningPlugin, provisioningModuleCrossplane],
    config: {
      provisioning: {
        worker: testWorkerConfig({ observeIntervalMs: 100 }),
        crossplane: { kubernetes: portalKubernetesConfig(cluster), offer },
      },
    },
    scheduler: extra.scheduler,
  });
}

describe('an offered XRD on a real Kubernetes API', () => {
  const scheduler = mockServices.scheduler();
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startBackend(
      [{ xrd: XRD_NAME, title: 'Bucket', catalogType: 'bucket' }],
      { scheduler },
    );
  });

  afterAll(() => backend?.stop());

  const { api, waitForState, listedType, expectRefused, requestsOf } =
    provisioningApi(() => backend.server, BOB);
  const { body: requestBody } = requestsOf(TYPE_ID, OWNER);

  const timelineOf = async (id: string) =>
    JSON.stringify((await api('get', `/requests/${id}`)).body.timeline);

  const PHOTOS = `${RUN}-photos`;
  let photosId: string;

  it("offers the XRD as a type whose form is its referenceable version's spec, without the fields Crossplane or Paved own", async () => {
    const type = await listedType(TYPE_ID);
    expect(type).toMatchObject({
      title: 'Bucket',
      catalogType: 'bucket',
      description: expect.stringMatching(
        /^A bucket of object storage\. It is created in your team's namespace .* as a XBucket of /,
      ),
      actions: [],
    });
    expect(type.parameters).toEqual(XBUCKET_PARAMETERS);
  });

  it('refuses bad names and parameters with a 400 naming the field, storing nothing', async () => {
    const bad = `${RUN}-bad`;
    const cases: Array<[string, object, RegExp]> = [
      [
        'wrong type',
        requestBody(bad, { sizeGi: 'big' }),
        /^Invalid parameters: parameters\.sizeGi: must be integer$/,
      ],
      [
        'missing required',
        requestBody(bad, {}),
        /^Invalid parameters: parameters\.sizeGi: is required$/,
      ],
      [
        'not in the enum',
        requestBody(bad, { sizeGi: 1, region: 'mars' }),
        /^Invalid parameters: parameters\.region: must be one of "eu-west-1", "us-east-1"$/,
      ],
      [
        'nested pattern',
        requestBody(bad, { sizeGi: 1, lifecycle: { prefix: 'Logs Old' } }),
        /^Invalid parameters: parameters\.lifecycle\.prefix: must match pattern/,
      ],
      [
        'a field Crossplane owns',
        requestBody(bad, {
          sizeGi: 1,
          crossplane: { compositionRef: { name: 'other' } },
        }),
        /^Invalid parameters: parameters\.crossplane: is not allowed$/,
      ],
      [
        'the connection Secret Paved names',
        requestBody(bad, {
          sizeGi: 1,
          writeConnectionSecretToRef: { name: 'elsewhere' },
        }),
        /^Invalid parameters: parameters\.writeConnectionSecretToRef: is not allowed$/,
      ],
      [
        'an environment that does not exist',
        requestBody(bad, { sizeGi: 1, environmentName: `${RUN}-nowhere` }),
        /^Invalid request: parameters\.environmentName: there is no environment named/,
      ],
      [
        "longer than the XRD's name limit",
        requestBody(`${RUN}-${'a'.repeat(40)}`, { sizeGi: 1 }),
        /^Invalid request: name: must be at most 40 characters/,
      ],
    ];
    await expectRefused(OWNER, cases);
  });

  it('applies the composite resource as the portal and stays provisioning until Crossplane reports it Ready and Synced', async () => {
    const created = await api('post', '/requests').send(
      requestBody(PHOTOS, { sizeGi: 10, tags: { team: 'photos' } }),
    );
    expect(created.body.error?.message).toBeUndefined();
    photosId = created.body.id;

    const applied = await waitFor('the XBucket to exist', () =>
      readXr(PHOTOS).catch(() => undefined),
    );
    expect(applied.apiVersion).toBe(`${GROUP}/${VERSION}`);
    expect(applied.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'paved',
      'paved.dev/request-id': photosId,
    });
    expect(applied.metadata?.annotations).toEqual({ 'paved.dev/owner': OWNER });
    expect(applied.spec).toEqual({
      region: 'eu-west-1',
      sizeGi: 10,
      versioning: false,
      tags: { team: 'photos' },
      writeConnectionSecretToRef: { name: `${PHOTOS}-connection` },
    });
    expect(applied.metadata?.managedFields?.map(f => f.manager)).toEqual([
      'paved-provisioning',
    ]);

    await waitFor(
      'observe to report that Crossplane has not looked yet',
      async () =>
        (
          await timelineOf(photosId)
        ).includes('Ready: not reported by Crossplane yet'),
    );
    await setStatus(PHOTOS, [
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: 'Unready resources: bucket',
      },
    ]);
    await waitFor('observe to report the unready bucket', async () =>
      (
        await timelineOf(photosId)
      ).includes('Ready is False (Creating): Unready resources: bucket'),
    );
    expect((await api('get', `/requests/${photosId}`)).body.state).toBe(
      'provisioning',
    );

    await setStatus(PHOTOS, READY_AND_SYNCED, {
      endpoint: 'https://photos.s3.example.org',
      usage: { objects: 3 },
    });
    const ready = await waitForState(photosId, 'ready');
    expect(ready.outputs).toEqual({
      namespace: NAMESPACE,
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'XBucket',
      name: PHOTOS,
      connectionSecretName: `${PHOTOS}-connection`,
      connectionSecretNamespace: NAMESPACE,
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': NAMESPACE,
        'backstage.io/kubernetes-label-selector': `crossplane.io/composite=${PHOTOS}`,
      },
    });
  });

  it('shows the conditions and the status fields', async () => {
    const status = await api('get', `/requests/${photosId}/status`);
    expect(status.status).toBe(200);
    const since = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(status.body.sections).toEqual([
      {
        title: 'Conditions',
        table: {
          columns: ['Type', 'Status', 'Reason', 'Message', 'Since'],
          rows: [
            ['Synced', 'True', 'ReconcileSuccess', '', since],
            ['Ready', 'True', 'Available', '', since],
          ],
        },
      },
      {
        title: 'XBucket status',
        items: [
          { label: 'endpoint', value: 'https://photos.s3.example.org' },
          { label: 'usage.objects', value: 3 },
        ],
      },
    ]);
  });

  it('puts back a spec changed by hand, records it once, and leaves Crossplane its status', async () => {
    // Someone edits the XR with kubectl (another field manager takes sizeGi over).
    await applyAsAdmin(admin, {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'XBucket',
      metadata: { name: PHOTOS, namespace: NAMESPACE },
      spec: { sizeGi: 99 },
    } as KubernetesObject);
    expect((await readXr(PHOTOS)).spec?.sizeGi).toBe(99);

    await scheduler.triggerTask('provisioning-reconcile');
    await scheduler.triggerTask('provisioning-reconcile');
    const corrections = (
      await api('get', `/requests/${photosId}`)
    ).body.timeline.filter(
      (e: { type: string }) => e.type === 'drift-corrected',
    );
    expect(corrections).toEqual([
      expect.objectContaining({
        message: `Put back spec.sizeGi of XBucket '${NAMESPACE}/${PHOTOS}', changed by hand`,
        actor: 'system:reconciler',
      }),
    ]);
    const restored = await readXr(PHOTOS);
    expect(restored.spec?.sizeGi).toBe(10);
    expect(restored.status?.endpoint).toBe('https://photos.s3.example.org');
  });

  it('fails with the message of a failing condition', async () => {
    const name = `${RUN}-broken`;
    const created = await api('post', '/requests').send(
      requestBody(name, { sizeGi: 2 }),
    );
    await waitFor('the XBucket to exist', () =>
      readXr(name).catch(() => undefined),
    );
    const message =
      'cannot compose resources: cannot run Composition pipeline step "bucket": quota exceeded';
    await setStatus(name, [
      { type: 'Synced', status: 'False', reason: 'ReconcileError', message },
      { type: 'Ready', status: 'False', reason: 'Creating' },
    ]);
    const failed = await waitForState(created.body.id, 'failed');
    expect(failed.lastError).toBe(
      `XBucket '${NAMESPACE}/${name}' is failing: Synced is False (ReconcileError): ${message}`,
    );
    expect(
      failed.timeline.map((event: { message: string }) => event.message),
    ).toContainEqual(
      expect.stringContaining(`Synced is False (ReconcileError): ${message}`),
    );
  });

  it('fails at once when the API server refuses the composite resource (a CEL rule of the XRD), and makes nothing', async () => {
    const name = `${RUN}-cel`;
    const created = await api('post', '/requests').send(
      requestBody(name, { sizeGi: 1, retentionDays: 50 }),
    );
    expect(created.status).toBe(201);
    const failed = await waitForState(created.body.id, 'failed').catch(
      async e => {
        console.log(
          JSON.stringify(
            (await api('get', `/requests/${created.body.id}`)).body,
            null,
            1,
          ),
        );
        throw e;
      },
    );
    expect(failed.lastError).toMatch(
      new RegExp(
        `^The Kubernetes API refused XBucket '${NAMESPACE}/${name}': .*retentionDays must be at most ten days per GiB`,
      ),
    );
    await expect(readXr(name)).rejects.toMatchObject({ code: 404 });
  });

  it('never takes over a composite resource it did not make', async () => {
    const name = `${RUN}-taken`;
    await applyAsAdmin(admin, {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'XBucket',
      metadata: { name, namespace: NAMESPACE },
      spec: { sizeGi: 5 },
    } as KubernetesObject);
    const created = await api('post', '/requests').send(
      requestBody(name, { sizeGi: 1 }),
    );
    const failed = await waitForState(created.body.id, 'failed');
    expect(failed.lastError).toBe(
      `XBucket '${NAMESPACE}/${name}' already exists and was not made by this request; choose another name`,
    );
    const untouched = await readXr(name);
    expect(untouched.spec?.sizeGi).toBe(5);
    expect(untouched.metadata?.labels).toBeUndefined();
  });

  it('deletes the composite resource and waits until Crossplane has let it go', async () => {
    // Crossplane's finalizer holds the XR until what it composed is deleted.
    const held = await readXr(PHOTOS);
    await setFinalizers(held, [FINALIZER]);
    expect((await api('delete', `/requests/${photosId}`)).status).toBe(202);
    const deleting = await waitFor(
      'the XBucket to be marked deleted',
      async () => {
        const xr = await readXr(PHOTOS);
        return xr.metadata?.deletionTimestamp ? xr : undefined;
      },
    );
    await new Promise(resolve => setTimeout(resolve, 1000));
    expect((await api('get', `/requests/${photosId}`)).body.state).toBe(
      'deleting',
    );

    await setFinalizers(deleting, []);
    await waitForState(photosId, 'deleted');
    await expect(readXr(PHOTOS)).rejects.toMatchObject({ code: 404 });
  });
});

describe('how XRDs are offered', () => {
  it('offers every established namespaced XRD with offer: all, titled by its paved.dev/title annotation', async () => {
    const backend = await startBackend('all');
    try {
      const { listedType } = provisioningApi(() => backend.server, BOB);
      expect(await listedType(TYPE_ID)).toMatchObject({
        title: 'Object storage bucket',
        catalogType: 'crossplane-xbucket',
        parameters: XBUCKET_PARAMETERS,
      });
    } finally {
      await backend.stop();
    }
  });

  it('holds requests for an approval when the config asks, and makes nothing before it', async () => {
    const backend = await startBackend([
      {
        xrd: XRD_NAME,
        requiresApproval: { reason: 'buckets cost money' },
        approvers: 'group:default/storage-team',
      },
    ]);
    try {
      const { api } = provisioningApi(() => backend.server, BOB);
      const name = `${RUN}-held`;
      const created = await api('post', '/requests').send({
        type: TYPE_ID,
        name,
        owner: OWNER,
        parameters: { sizeGi: 1 },
      });
      expect(created.body.state).toBe('pending-approval');
      const held = (await api('get', `/requests/${created.body.id}`)).body;
      expect(held.approval).toMatchObject({
        group: 'group:default/storage-team',
        reason: `resource type '${TYPE_ID}': buckets cost money`,
      });
      await expect(readXr(name)).rejects.toMatchObject({ code: 404 });
    } finally {
      await backend.stop();
    }
  });

  it('registers no type without provisioning.crossplane', async () => {
    const backend = await startProvisioningBackend({
      features: [provisioningPlugin, provisioningModuleCrossplane],
      config: {},
    });
    try {
      const { api } = provisioningApi(() => backend.server, BOB);
      const types = (await api('get', '/types')).body.items;
      expect(
        types.filter((t: { id: string }) => t.id.startsWith('xr-')),
      ).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
