import { environmentNameSchema } from '@paved/plugin-provisioning-node';
import { XBUCKET_PARAMETERS, xbucketXrd } from './__testUtils__/xbucket';
import { offerOf, selectOffers } from './offers';
import { CompositeResourceDefinition } from './xrd';

const ESTABLISHED = {
  conditions: [
    {
      type: 'Established',
      status: 'True',
      reason: 'WatchingCompositeResource',
    },
  ],
};

function xrd(
  group: string,
  changes: Partial<CompositeResourceDefinition['spec']> = {},
  status: CompositeResourceDefinition['status'] = ESTABLISHED,
): CompositeResourceDefinition {
  const base = xbucketXrd(group);
  return { ...base, spec: { ...base.spec, ...changes }, status };
}

describe('offerOf', () => {
  it("offers the referenceable version's spec as the form, titled and typed from the XRD", () => {
    expect(offerOf(xrd('storage.example.org'))).toEqual({
      xrd: 'xbuckets.storage.example.org',
      id: 'xr-xbuckets-storage-example-org',
      apiVersion: 'storage.example.org/v1beta1',
      kind: 'XBucket',
      title: 'Object storage bucket',
      description:
        "A bucket of object storage. It is created in your team's namespace (or the namespace of the environment it is attached to) as a XBucket of storage.example.org, and is ready when Crossplane reports it Ready and Synced.",
      catalogType: 'crossplane-xbucket',
      parameters: XBUCKET_PARAMETERS,
      connectionSecret: true,
      maxNameLength: 40,
    });
  });

  it('takes the title, catalog type and approval from config', () => {
    const offer = offerOf(xrd('storage.example.org'), {
      title: 'Bucket',
      catalogType: 'bucket',
      requiresApproval: true,
      approvers: 'group:default/storage-team',
    });
    expect(offer).toMatchObject({
      title: 'Bucket',
      catalogType: 'bucket',
      approval: {
        reason: 'every Bucket needs an approval',
        approvers: 'group:default/storage-team',
      },
    });
    expect(
      offerOf(xrd('storage.example.org'), {
        requiresApproval: { reason: 'buckets cost money' },
      }).approval,
    ).toEqual({ reason: 'buckets cost money' });
    expect(
      offerOf(xrd('storage.example.org'), { requiresApproval: false }).approval,
    ).toBeUndefined();
  });

  it('uses the kind without annotations, and the first served version without a served referenceable one', () => {
    const plain = xrd('storage.example.org', {
      versions: xbucketXrd('x').spec.versions.map(v => ({
        ...v,
        served: v.name === 'v1alpha1',
      })),
    });
    plain.metadata = { name: 'xbuckets.storage.example.org' };
    const offer = offerOf(plain);
    expect(offer.title).toBe('XBucket');
    expect(offer.apiVersion).toBe('storage.example.org/v1alpha1');
    expect(Object.keys(offer.parameters.properties as object)).not.toContain(
      'versioning',
    );
  });

  it('gives an XRD without a spec schema a form of environmentName alone, closed', () => {
    const bare = xrd('bare.example.org', {
      versions: [{ name: 'v1', served: true, referenceable: true }],
    });
    expect(offerOf(bare)).toMatchObject({
      parameters: {
        type: 'object',
        properties: { environmentName: environmentNameSchema('XBucket') },
        additionalProperties: false,
      },
      connectionSecret: false,
      maxNameLength: 63,
    });
  });

  it('refuses XRDs it cannot offer, saying why', () => {
    expect(() =>
      offerOf(xrd('storage.example.org', { scope: 'Cluster' })),
    ).toThrow(
      "its scope is Cluster; only namespaced composite resources (Crossplane v2's default) are offered",
    );
    expect(() =>
      offerOf(xrd('storage.example.org', {}, { conditions: [] })),
    ).toThrow('Crossplane has not established it');
    expect(() =>
      offerOf(
        xrd('storage.example.org', {
          versions: [{ name: 'v1', served: false, referenceable: true }],
        }),
      ),
    ).toThrow('it serves no version');
    expect(() =>
      offerOf(
        xrd('storage.example.org', {
          versions: [
            {
              name: 'v1',
              served: true,
              referenceable: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { environmentName: { type: 'string' } },
                    },
                  },
                },
              },
            },
          ],
        }),
      ),
    ).toThrow(/its spec declares 'environmentName'/);
  });
});

describe('selectOffers', () => {
  const xrds = [
    xrd('a.example.org'),
    xrd('b.example.org', { scope: 'LegacyCluster' }),
  ];

  it('offers every XRD it can with all, and tells (not warns) of the rest', () => {
    const { offers, skipped } = selectOffers(xrds, 'all');
    expect(offers.map(o => o.id)).toEqual(['xr-xbuckets-a-example-org']);
    expect(skipped).toEqual([
      {
        xrd: 'xbuckets.b.example.org',
        reason: expect.stringMatching(/^its scope is LegacyCluster/),
        named: false,
      },
    ]);
  });

  it('offers only the XRDs the config names, in its order, with their settings', () => {
    const { offers, skipped } = selectOffers(xrds, [
      { xrd: 'xbuckets.missing.example.org' },
      { xrd: 'xbuckets.b.example.org' },
      { xrd: 'xbuckets.a.example.org', title: 'A' },
    ]);
    expect(offers.map(o => [o.id, o.title])).toEqual([
      ['xr-xbuckets-a-example-org', 'A'],
    ]);
    expect(skipped.map(s => [s.xrd, s.named])).toEqual([
      ['xbuckets.missing.example.org', true],
      ['xbuckets.b.example.org', true],
    ]);
    expect(skipped[0].reason).toBe('the cluster has no such XRD');
  });
});
