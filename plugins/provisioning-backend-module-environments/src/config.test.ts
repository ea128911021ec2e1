import { ConfigReader } from '@backstage/config';
import { DEFAULT_SIZES, readEnvironmentsConfig } from './config';

const read = (environments: object | undefined) =>
  readEnvironmentsConfig(
    new ConfigReader(
      environments === undefined ? {} : { provisioning: { environments } },
    ),
  );

const kubernetes = { kubeconfigPath: '/tmp/kubeconfig' };

describe('readEnvironmentsConfig', () => {
  it('is undefined without the section', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('applies defaults', () => {
    expect(read({ kubernetes })).toEqual({
      kubernetes: { kind: 'kubeconfig', path: '/tmp/kubeconfig' },
      ingressNamespace: 'ingress-nginx',
      sizes: DEFAULT_SIZES,
    });
  });

  it('overrides single keys of a size', () => {
    const config = read({
      kubernetes,
      ingressNamespace: 'traefik',
      sizes: { large: { requestsCpu: '12', pods: 150 } },
    })!;
    expect(config.ingressNamespace).toBe('traefik');
    expect(config.sizes.large).toEqual({
      ...DEFAULT_SIZES.large,
      requestsCpu: '12',
      pods: 150,
    });
    expect(config.sizes.small).toEqual(DEFAULT_SIZES.small);
  });

  it.each([
    [
      { kubernetes, ingressNamespace: 'Ingress Nginx' },
      /provisioning\.environments\.ingressNamespace: /,
    ],
    [
      { kubernetes, sizes: { huge: {} } },
      /provisioning\.environments\.sizes\.huge: is not a size/,
    ],
    [
      { kubernetes, sizes: { small: { requestsMemory: '4 GB' } } },
      /provisioning\.environments\.sizes\.small\.requestsMemory: '4 GB' is not a Kubernetes quantity/,
    ],
    [
      { kubernetes, sizes: { medium: { pods: 2.5 } } },
      /provisioning\.environments\.sizes\.medium\.pods: 2.5 must be a whole number/,
    ],
    [
      { kubernetes: { url: 'kubernetes:6443' } },
      /provisioning\.environments\.kubernetes\.url: /,
    ],
  ])('refuses %j, naming the key', (environments, message) => {
    expect(() => read(environments)).toThrow(message);
  });
});
