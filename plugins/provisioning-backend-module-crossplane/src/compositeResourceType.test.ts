/*
 * The steps of a composite resource type run directly (as a worker would) against
 * the real Kubernetes API server, as the portal's identity: attachment to an
 * environment, drift of a deleted composite resource, a kind the cluster no longer
 * serves, and how the module registers what it finds. Crossplane itself is played
 * as in module.test.ts.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { loadKubeConfig, requireTestCluster } from '@paved/kube-test-utils';
import {
  inMemoryRequestLookup,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { directStepContext } from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { installTestXrd } from './__testUtils__/crossplane';
import { xbucketXrd } from './__testUtils__/xbucket';
import { CompositeResources } from './CompositeResources';
import { createCompositeResourceType } from './compositeResourceType';
import { offerOf } from './offers';
import { registerOffers } from './registerOffers';
import { XrdReader } from './XrdReader';

jest.setTimeout(60_000);

const RUN = `y${randomBytes(3).toString('hex')}`;
const GROUP = `${RUN}.paved.example.org`;
const OWNER = `group:default/${RUN}-team`;
const TEAM_NAMESPACE = `team-${RUN}`;
const ENV = `${RUN}-feature`;
const ENV_NAMESPACE = `${RUN}-feature-ns`;
const BOB = 'user:default/bob';

const admin = requireTestCluster().kubeConfig;
const core = admin.makeApiClient(CoreV1Api);
const custom = admin.makeApiClient(CustomObjectsApi);
let portal: KubeConfig;
let installed: Awaited<ReturnType<typeof installTestXrd>>;
let type: ResourceType<JsonObject>;

const environment = {
  id: 'environment-1',
  type: 'environment',
  name: ENV,
  owner: OWNER,
  parameters: {},
  createdBy: BOB,
  state: 'ready' as const,
  outputs: { namespace: ENV_NAMESPACE },
};

const ctx = (
  name: string,
  parameters: JsonObject,
  outputs: JsonObject = {},
  requests = inMemoryRequestLookup([environment]),
) =>
  directStepContext<JsonObject>({
    request: {
      id: `request-${name}`,
      type: type.id,
      name,
      owner: OWNER,
      parameters,
      createdBy: BOB,
    },
    outputs,
    requests,
  });

const readXr = (name: string, namespace: string) =>
  custom.getNamespacedCustomObject({
    group: GROUP,
    version: 'v1beta1',
    namespace,
    plural: 'xbuckets',
    name,
  });

beforeAll(async () => {
  portal = loadKubeConfig(requireTestCluster().portalKubeconfigPath);
  installed = await installTestXrd(admin, xbucketXrd(GROUP));
  const offer = offerOf(installed.xrd);
  type = createCompositeResourceType({
    offer,
    resources: new CompositeResources(portal, offer),
    deletionPollMs: 50,
  });
  // The environment type made its namespace; attached resources never make it.
  await core.createNamespace({ body: { metadata: { name: ENV_NAMESPACE } } });
});

afterAll(async () => {
  for (const name of [ENV_NAMESPACE, TEAM_NAMESPACE]) {
    await core.deleteNamespace({ name }).catch(() => undefined);
  }
  await installed?.cleanup();
});

describe('a composite resource attached to an environment', () => {
  it("is made in the environment's namespace, with the spec less the attachment, and deleted there", async () => {
    const name = `${RUN}-attached`;
    const step = ctx(name, { sizeGi: 3, environmentName: ENV });
    await type.provision(step);
    const made = (await readXr(name, ENV_NAMESPACE)) as { spec: JsonObject };
    expect(made.spec).toEqual({
      sizeGi: 3,
      // The API server's defaults, from the XRD's schema.
      region: 'eu-west-1',
      versioning: false,
      writeConnectionSecretToRef: { name: `${name}-connection` },
    });
    expect(step.outputs).toMatchObject({
      namespace: ENV_NAMESPACE,
      connectionSecretName: `${name}-connection`,
      connectionSecretNamespace: ENV_NAMESPACE,
    });

    // Deletion follows it where it was made, even after the environment is gone.
    await type.destroy(
      ctx(
        name,
        { sizeGi: 3, environmentName: ENV },
        step.outputs,
        inMemoryRequestLookup(),
      ),
    );
    await expect(readXr(name, ENV_NAMESPACE)).rejects.toMatchObject({
      code: 404,
    });
  });

  it('fails for good, naming the field, when the environment is gone', async () => {
    await expect(
      type.provision(
        ctx(`${RUN}-orphan`, { sizeGi: 1, environmentName: `${RUN}-gone` }),
      ),
    ).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: `parameters.environmentName: there is no environment '${RUN}-gone' (any more)`,
    });
  });

  it('lets environments hold it: references name the environment, and a copy gets one of its own', () => {
    expect(type.environmentCopy).toEqual({});
    expect(
      type.references!({
        type: type.id,
        name: 'x',
        owner: OWNER,
        parameters: { sizeGi: 1, environmentName: ENV },
        createdBy: BOB,
      }),
    ).toEqual([
      {
        field: 'parameters.environmentName',
        type: 'environment',
        name: ENV,
        permission: 'update',
      },
    ]);
  });
});

describe('drift and a missing kind', () => {
  it('applies a composite resource deleted by hand again, and then finds nothing to do', async () => {
    const name = `${RUN}-deleted`;
    const step = ctx(name, { sizeGi: 2 });
    await type.provision(step);
    await custom.deleteNamespacedCustomObject({
      group: GROUP,
      version: 'v1beta1',
      namespace: TEAM_NAMESPACE,
      plural: 'xbuckets',
      name,
    });
    const status = { ...step, signal: new AbortController().signal };
    expect(await type.reconcile!(status)).toEqual([
      `Applied XBucket '${TEAM_NAMESPACE}/${name}' again: it had been deleted by hand`,
    ]);
    await expect(readXr(name, TEAM_NAMESPACE)).resolves.toBeDefined();
    expect(await type.reconcile!(status)).toEqual([]);
  });

  it('fails provisioning at once and destroys without error when the cluster does not serve the kind', async () => {
    // A version of the group that the API server does not serve stands for a removed XRD.
    const offer = {
      ...offerOf(installed.xrd),
      apiVersion: `${GROUP}/v0absent`,
    };
    const absent = createCompositeResourceType({
      offer,
      resources: new CompositeResources(portal, offer),
    });
    const step = ctx(`${RUN}-absent`, { sizeGi: 1 });
    await expect(absent.provision(step)).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: expect.stringContaining(
        `the Kubernetes API does not serve ${GROUP}/v0absent XBucket`,
      ),
    });
    await expect(absent.destroy(step)).resolves.toBeUndefined();
  });
});

describe('registerOffers', () => {
  const logs = () => {
    const lines: string[] = [];
    const logger = {
      ...mockServices.logger.mock(),
      info: (message: string) => {
        lines.push(`info: ${message}`);
      },
      warn: (message: string) => {
        lines.push(`warn: ${message}`);
      },
      error: (message: string) => {
        lines.push(`error: ${message}`);
      },
    };
    return { lines, logger };
  };

  it('registers nothing, and says why, when the cluster serves no XRDs of that version', async () => {
    const { lines, logger } = logs();
    const added: string[] = [];
    await registerOffers({
      kubeConfig: portal,
      reader: new XrdReader(portal, 'v0absent'),
      offer: 'all',
      logger,
      types: { addResourceType: t => added.push(t.id) },
    });
    expect(added).toEqual([]);
    expect(lines).toEqual([
      'info: Crossplane composite resources are off: the Kubernetes API serves no apiextensions.crossplane.io/v2 CompositeResourceDefinitions (Crossplane v2 is not installed)',
    ]);
  });

  it('registers the XRDs it finds, warns of those it cannot offer, and survives a type the engine refuses', async () => {
    const { lines, logger } = logs();
    const added: string[] = [];
    const xrd = installed.xrd.metadata!.name!;
    await registerOffers({
      kubeConfig: portal,
      reader: new XrdReader(portal),
      offer: [{ xrd }, { xrd: `xmissing.${GROUP}` }],
      logger,
      types: { addResourceType: t => added.push(t.id) },
    });
    expect(added).toEqual([`xr-xbuckets-${RUN}-paved-example-org`]);
    expect(lines).toEqual([
      `warn: Not offering XRD 'xmissing.${GROUP}': the cluster has no such XRD`,
      `info: Crossplane composite resources offered: xr-xbuckets-${RUN}-paved-example-org (${xrd}); a new or changed XRD is offered after a restart`,
    ]);

    const refused = logs();
    await registerOffers({
      kubeConfig: portal,
      reader: new XrdReader(portal),
      offer: [{ xrd }],
      logger: refused.logger,
      types: {
        addResourceType: () => {
          throw new Error('invalid parameters schema');
        },
      },
    });
    expect(refused.lines).toEqual([
      `warn: Not offering XRD '${xrd}': invalid parameters schema`,
      'info: Crossplane composite resources offered: none; a new or changed XRD is offered after a restart',
    ]);
  });
});
