import { ConfigReader } from '@backstage/config';
import { readPostgresConfig } from './config';

const target = (overrides: object = {}) => ({
  id: 'shared-eu',
  host: 'db.internal',
  adminUser: 'paved_admin',
  adminPassword: 'secret',
  ...overrides,
});

const read = (
  postgres: object,
  kubernetes: object | null = { kubeconfigPath: '/k' },
) =>
  readPostgresConfig(
    new ConfigReader({
      provisioning: {
        postgres: { ...(kubernetes ? { kubernetes } : {}), ...postgres },
      },
    }),
  );

describe('readPostgresConfig', () => {
  it('is undefined without a provisioning.postgres section', () => {
    expect(readPostgresConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('fills in the defaults', () => {
    expect(
      read({ targets: [target(), target({ id: 'local', default: true })] }),
    ).toEqual({
      targets: [
        {
          id: 'shared-eu',
          title: 'shared-eu',
          host: 'db.internal',
          port: 5432,
          adminUser: 'paved_admin',
          adminPassword: 'secret',
          adminDatabase: 'postgres',
          connectionHost: 'db.internal',
          connectionPort: 5432,
          sslMode: 'verify-full',
          caFile: undefined,
        },
        expect.objectContaining({ id: 'local' }),
      ],
      defaultTargetId: 'local',
      deletionRetentionMs: 7 * 24 * 3600 * 1000,
      defaultConnectionLimit: 10,
      kubernetes: { kind: 'kubeconfig', path: '/k' },
    });
  });

  it('reads connectionHost as host:port, IPv6 included, and the first target as the default', () => {
    const config = read({
      targets: [
        target({ connectionHost: 'orders.postgres.svc:6432' }),
        target({ id: 'v6', connectionHost: '[fd00::1]:5433', port: 15432 }),
        target({ id: 'bare', connectionHost: 'pg.svc', port: 15432 }),
      ],
      deletionRetention: { hours: 1 },
    })!;
    expect(
      config.targets.map(t => `${t.connectionHost} ${t.connectionPort}`),
    ).toEqual(['orders.postgres.svc 6432', 'fd00::1 5433', 'pg.svc 15432']);
    expect(config.defaultTargetId).toBe('shared-eu');
    expect(config.deletionRetentionMs).toBe(3_600_000);
  });

  it.each<[object, string]>([
    [{ targets: [] }, 'provisioning.postgres.targets: must list at least one'],
    [
      { targets: [target({ id: 'Shared EU' })] },
      "provisioning.postgres.targets[0].id: 'Shared EU' must be lowercase",
    ],
    [
      { targets: [target(), target()] },
      "provisioning.postgres.targets[1].id: 'shared-eu' is already the id of targets[0]",
    ],
    [
      {
        targets: [
          target({ default: true }),
          target({ id: 'b', default: true }),
        ],
      },
      'provisioning.postgres.targets[1].default: only one target may be the default',
    ],
    [
      { targets: [target({ port: 70000 })] },
      'provisioning.postgres.targets[0].port: 70000 is not a TCP port',
    ],
    [
      { targets: [target({ connectionHost: 'a:b:c' })] },
      "provisioning.postgres.targets[0].connectionHost: 'a:b:c' is not host:port",
    ],
    [
      { targets: [target({ sslMode: 'prefer' })] },
      "provisioning.postgres.targets[0].sslMode: 'prefer' must be one of disable, require, verify-full",
    ],
    [
      { targets: [target()], defaultConnectionLimit: 500 },
      'provisioning.postgres.defaultConnectionLimit: 500 must be a whole number from 1 to 200',
    ],
    [
      { targets: [target({ adminPassword: undefined })] },
      "Missing required config value at 'provisioning.postgres.targets[0].adminPassword'",
    ],
  ])('refuses invalid config %#, naming the key', (postgres, message) => {
    expect(() => read(postgres)).toThrow(message);
  });

  it('needs a way to reach Kubernetes outside a pod', () => {
    expect(() => read({ targets: [target()] }, null)).toThrow(
      'provisioning.postgres.kubernetes: is required when the backend does not run in a Kubernetes pod',
    );
    expect(() =>
      read({ targets: [target()] }, { url: 'https://k', kubeconfigPath: '/k' }),
    ).toThrow(
      'provisioning.postgres.kubernetes: set either kubeconfigPath or url',
    );
    expect(
      read(
        { targets: [target()] },
        { url: 'https://k:6443', caFile: '/ca', serviceAccountToken: 't' },
      )!.kubernetes,
    ).toEqual({
      kind: 'url',
      url: 'https://k:6443',
      caFile: '/ca',
      caData: undefined,
      token: 't',
      skipTLSVerify: false,
    });
  });
});
