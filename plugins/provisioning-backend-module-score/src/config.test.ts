import { ConfigReader } from '@backstage/config';
import { DEFAULT_PROBES, DEFAULT_WORKLOAD_DEFAULTS } from './render';
import { readScoreConfig } from './config';

const read = (score: unknown) =>
  readScoreConfig(new ConfigReader({ provisioning: { score } as any }));

describe('provisioning.score', () => {
  it('is off without the section', () => {
    expect(readScoreConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('has defaults', () => {
    expect(read({ kubernetes: { kubeconfigPath: '/k' } })).toMatchObject({
      kubernetes: { kind: 'kubeconfig', path: '/k' },
      baseDomain: 'localtest.me',
      defaults: DEFAULT_WORKLOAD_DEFAULTS,
    });
  });

  it('takes overrides of the defaults', () => {
    expect(
      read({
        kubernetes: { kubeconfigPath: '/k' },
        baseDomain: 'apps.example.com',
        defaults: {
          limits: { cpu: '1' },
          progressDeadlineSeconds: 30,
          ingressClassName: 'nginx',
        },
      }),
    ).toMatchObject({
      baseDomain: 'apps.example.com',
      defaults: {
        requests: DEFAULT_WORKLOAD_DEFAULTS.requests,
        limits: { cpu: '1', memory: DEFAULT_WORKLOAD_DEFAULTS.limits.memory },
        progressDeadlineSeconds: 30,
        ingressClassName: 'nginx',
      },
    });
  });

  it('turns the default probes off, or tunes them', () => {
    const probes = (value: unknown) =>
      read({
        kubernetes: { kubeconfigPath: '/k' },
        defaults: { probes: value },
      })?.defaults.probes;
    expect(probes(false)).toEqual({ ...DEFAULT_PROBES, enabled: false });
    expect(probes(true)).toEqual(DEFAULT_PROBES);
    expect(probes({ readinessPeriodSeconds: 2 })).toEqual({
      ...DEFAULT_PROBES,
      readinessPeriodSeconds: 2,
    });
    expect(() => probes({ livenessPeriodSeconds: 0 })).toThrow(
      /provisioning\.score\.defaults\.probes/,
    );
  });

  it('refuses invalid keys, naming them', () => {
    expect(() =>
      read({
        kubernetes: { kubeconfigPath: '/k' },
        baseDomain: 'Not A Domain',
        defaults: { limits: { cpu: 'lots' } },
        colour: 'blue',
      }),
    ).toThrow(
      /provisioning\.score\.baseDomain: must be a DNS name.*provisioning\.score\.defaults\.limits\.cpu: must be a Kubernetes quantity.*provisioning\.score\.colour: is not a setting/,
    );
  });
});
