import { ConfigReader } from '@backstage/config';
import { readCnpgConfig } from './config';

const read = (cnpg: object | undefined) =>
  readCnpgConfig(
    new ConfigReader(cnpg === undefined ? {} : { provisioning: { cnpg } }),
  );

const kubernetes = { kubeconfigPath: '/tmp/kubeconfig' };

describe('readCnpgConfig', () => {
  it('is undefined without the section', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('applies defaults', () => {
    expect(read({ kubernetes })).toEqual({
      kubernetes: { kind: 'kubeconfig', path: '/tmp/kubeconfig' },
      imageName: undefined,
      storageClass: undefined,
      defaultInstances: 1,
      maxStorageGi: 50,
    });
  });

  it('reads url access', () => {
    expect(
      read({
        kubernetes: {
          url: 'https://kubernetes.default.svc',
          caFile: '/ca.pem',
          serviceAccountToken: 't',
        },
      })?.kubernetes,
    ).toEqual({
      kind: 'url',
      url: 'https://kubernetes.default.svc',
      caFile: '/ca.pem',
      caData: undefined,
      token: 't',
      skipTLSVerify: false,
    });
  });

  it.each([
    [
      { kubernetes, defaultInstances: 6 },
      /provisioning\.cnpg\.defaultInstances: 6 /,
    ],
    [
      { kubernetes, defaultInstances: 1.5 },
      /provisioning\.cnpg\.defaultInstances: /,
    ],
    [{ kubernetes, maxStorageGi: 0 }, /provisioning\.cnpg\.maxStorageGi: 0 /],
    [
      { kubernetes, storageClass: 'Fast SSD' },
      /provisioning\.cnpg\.storageClass: /,
    ],
    [
      { kubernetes: { url: 'kubernetes:6443' } },
      /provisioning\.cnpg\.kubernetes\.url: /,
    ],
    [
      { kubernetes: { url: 'https://k', kubeconfigPath: '/k' } },
      /provisioning\.cnpg\.kubernetes: set either/,
    ],
    [{ kubernetes: {} }, /provisioning\.cnpg\.kubernetes: needs/],
  ])('refuses %j, naming the key', (cnpg, message) => {
    expect(() => read(cnpg)).toThrow(message);
  });

  it('needs kubernetes outside a pod', () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(() => read({})).toThrow(
        /provisioning\.cnpg\.kubernetes: is required/,
      );
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});
