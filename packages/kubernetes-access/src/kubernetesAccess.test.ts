import { ConfigReader } from '@backstage/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadCheckedKubeConfig,
  readKubeConfig,
  readKubernetesAccess,
  readKubernetesSection,
} from './kubernetesAccess';

const KEY = 'provisioning.cnpg.kubernetes';
const section = (data: object) => new ConfigReader(data);

/** A kubeconfig file of one cluster, in a fresh folder. */
function kubeconfigFile(server: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kubernetes-access-')), 'kc');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return path;
}

describe('readKubernetesAccess', () => {
  const inCluster = process.env.KUBERNETES_SERVICE_HOST;
  afterEach(() => {
    if (inCluster === undefined) {
      delete process.env.KUBERNETES_SERVICE_HOST;
    } else {
      process.env.KUBERNETES_SERVICE_HOST = inCluster;
    }
  });

  it('reads a kubeconfig path, or a URL with its CA, token and TLS setting', () => {
    expect(
      readKubernetesAccess(section({ kubeconfigPath: '/etc/kc' }), KEY),
    ).toEqual({ kind: 'kubeconfig', path: '/etc/kc' });
    expect(
      readKubernetesAccess(
        section({
          url: 'https://k8s.test:6443',
          caFile: '/ca.crt',
          serviceAccountToken: 'secret',
        }),
        KEY,
      ),
    ).toEqual({
      kind: 'url',
      url: 'https://k8s.test:6443',
      caFile: '/ca.crt',
      caData: undefined,
      token: 'secret',
      skipTLSVerify: false,
    });
  });

  it("uses the pod's service account without a section, in a pod only", () => {
    process.env.KUBERNETES_SERVICE_HOST = '10.0.0.1';
    expect(readKubernetesAccess(undefined, KEY)).toEqual({
      kind: 'in-cluster',
    });
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => readKubernetesAccess(undefined, KEY)).toThrow(
      `Invalid config: ${KEY}: is required when the backend does not run in a Kubernetes pod`,
    );
  });

  it('refuses a section that says too much, too little, or not a URL, naming the key', () => {
    expect(() =>
      readKubernetesAccess(
        section({ kubeconfigPath: '/kc', url: 'https://k8s.test' }),
        KEY,
      ),
    ).toThrow(`Invalid config: ${KEY}: set either kubeconfigPath or url`);
    expect(() => readKubernetesAccess(section({}), KEY)).toThrow(
      `Invalid config: ${KEY}: needs kubeconfigPath or url`,
    );
    expect(() =>
      readKubernetesAccess(section({ url: 'k8s.test:6443' }), KEY),
    ).toThrow(
      `Invalid config: ${KEY}.url: 'k8s.test:6443' is not an http(s) URL`,
    );
  });
});

describe('readKubernetesSection', () => {
  it("reads a module section's kubernetes section, naming it in full", () => {
    expect(
      readKubernetesSection(
        section({ kubernetes: { kubeconfigPath: '/etc/kc' } }),
        'provisioning.s3',
      ),
    ).toEqual({ kind: 'kubeconfig', path: '/etc/kc' });
    expect(() =>
      readKubernetesSection(
        section({ kubernetes: { url: 'k8s.test' } }),
        'provisioning.s3',
      ),
    ).toThrow(
      "Invalid config: provisioning.s3.kubernetes.url: 'k8s.test' is not an http(s) URL",
    );
  });
});

describe('loadCheckedKubeConfig', () => {
  it('loads a readable kubeconfig, and a URL with a token', () => {
    const path = kubeconfigFile('https://from-file.test:6443');
    expect(
      loadCheckedKubeConfig(
        { kind: 'kubeconfig', path },
        KEY,
      ).getCurrentCluster()?.server,
    ).toBe('https://from-file.test:6443');

    const kc = loadCheckedKubeConfig(
      {
        kind: 'url',
        url: 'https://from-url.test:6443',
        token: 'secret',
        skipTLSVerify: true,
      },
      KEY,
    );
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://from-url.test:6443',
      skipTLSVerify: true,
    });
    expect(kc.getCurrentUser()?.token).toBe('secret');
  });

  it('refuses files it cannot read, naming the config key', () => {
    expect(() =>
      loadCheckedKubeConfig(
        { kind: 'kubeconfig', path: '/nonexistent/kubeconfig' },
        KEY,
      ),
    ).toThrow(
      `Invalid config: ${KEY}.kubeconfigPath: cannot read '/nonexistent/kubeconfig'`,
    );
    expect(() =>
      loadCheckedKubeConfig(
        {
          kind: 'url',
          url: 'https://k8s.test',
          caFile: '/nonexistent/ca.crt',
          skipTLSVerify: false,
        },
        KEY,
      ),
    ).toThrow(
      `Invalid config: ${KEY}.caFile: cannot read '/nonexistent/ca.crt'`,
    );
  });
});

describe('readKubeConfig', () => {
  it('reads and checks the section at the key of the root config', () => {
    const path = kubeconfigFile('https://scorecard.test:6443');
    const root = new ConfigReader({
      scorecard: { kubernetes: { kubeconfigPath: path } },
    });
    expect(
      readKubeConfig(root, 'scorecard.kubernetes').getCurrentCluster()?.server,
    ).toBe('https://scorecard.test:6443');
    expect(() =>
      readKubeConfig(
        new ConfigReader({
          scorecard: { kubernetes: { kubeconfigPath: '/nonexistent/kc' } },
        }),
        'scorecard.kubernetes',
      ),
    ).toThrow(
      "Invalid config: scorecard.kubernetes.kubeconfigPath: cannot read '/nonexistent/kc'",
    );
  });
});
