import { ConfigReader } from '@backstage/config';
import { readCrossplaneConfig } from './config';

const read = (crossplane: object | undefined) =>
  readCrossplaneConfig(
    new ConfigReader(crossplane ? { provisioning: { crossplane } } : {}),
  );

const kubernetes = { kubeconfigPath: '/etc/kubeconfig' };

describe('readCrossplaneConfig', () => {
  it('is undefined without the section', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('offers every XRD by default', () => {
    expect(read({ kubernetes })).toEqual({
      kubernetes: { kind: 'kubeconfig', path: '/etc/kubeconfig' },
      offer: 'all',
    });
  });

  it('reads a list of offers with their settings', () => {
    const offer = [
      {
        xrd: 'xbuckets.storage.example.org',
        title: 'Bucket',
        catalogType: 'bucket',
      },
      {
        xrd: 'xdatabases.db.example.org',
        requiresApproval: { reason: 'databases cost money' },
        approvers: 'group:default/dba',
      },
      { xrd: 'xqueues.mq.example.org', requiresApproval: true },
    ];
    expect(read({ kubernetes, offer })?.offer).toEqual(offer);
  });

  it.each([
    [
      { offer: 'some' },
      /provisioning\.crossplane\.offer: must be 'all' or a list of XRDs to offer/,
    ],
    [
      { offer: [{ xrd: 'Buckets' }] },
      /provisioning\.crossplane\.offer\[0\]\.xrd: must be the name of a CompositeResourceDefinition/,
    ],
    [
      { offer: [{ xrd: 'xbuckets.example.org', catalogType: 'Bucket Type' }] },
      /provisioning\.crossplane\.offer\[0\]\.catalogType: must be kebab-case/,
    ],
    [
      {
        offer: [{ xrd: 'xbuckets.example.org', approvers: 'group:default/a' }],
      },
      /provisioning\.crossplane\.offer\[0\]\.approvers: applies only with requiresApproval/,
    ],
    [
      {
        offer: [
          {
            xrd: 'xbuckets.example.org',
            requiresApproval: true,
            approvers: 'user:default/bob',
          },
        ],
      },
      /provisioning\.crossplane\.offer\[0\]\.approvers: must be a group entity ref/,
    ],
    [
      { offer: [{ xrd: 'xbuckets.example.org', requiresApproval: 'yes' }] },
      /provisioning\.crossplane\.offer\[0\]\.requiresApproval: /,
    ],
    [
      { offer: [{ xrd: 'xbuckets.example.org', colour: 'red' }] },
      /provisioning\.crossplane\.offer\[0\]\.colour: is not allowed/,
    ],
    [
      {
        offer: [
          { xrd: 'xbuckets.example.org' },
          { xrd: 'xbuckets.example.org' },
        ],
      },
      /provisioning\.crossplane\.offer\[1\]\.xrd: 'xbuckets\.example\.org' is offered twice/,
    ],
    [
      { refresh: 'hourly' },
      /provisioning\.crossplane\.refresh: is not allowed/,
    ],
    [
      { kubernetes: { url: 'ftp://x' } },
      /provisioning\.crossplane\.kubernetes\.url: 'ftp:\/\/x' is not an http\(s\) URL/,
    ],
  ])('refuses %j naming the key', (section, message) => {
    expect(() => read({ kubernetes, ...section })).toThrow(message);
  });
});
