import { SecretWriter } from '@paved/plugin-provisioning-node';
import { expectScoreSecretRefs } from '@paved/test-utils';
import { PostgresModuleConfig } from './config';
import { connectionSecret } from './connectionSecret';
import { PostgresAdmin } from './PostgresAdmin';
import { PostgresParameters } from './PostgresProvisioner';
import { createPostgresResourceType } from './postgresResourceType';

const config = {
  targets: [{ id: 'main', title: 'Main' }],
  defaultTargetId: 'main',
  defaultConnectionLimit: 10,
} as unknown as PostgresModuleConfig;
// Nothing runs a step here: the Score member is pure.
const type = createPostgresResourceType({
  config,
  admins: new Map(),
  secrets: {} as SecretWriter,
});
const score = type.score!;
const claim = { name: 'db', type: 'postgres', workload: 'shop' };

describe('postgres as a Score resource', () => {
  it('provides the Score type postgres, with environmentCopy', () => {
    expect(score.types).toEqual(['postgres']);
    expect(type.environmentCopy).toBeDefined();
  });

  it("makes a database with the type's defaults, or the params it takes", () => {
    expect(score.parameters(claim)).toEqual({});
    expect(score.parameters({ ...claim, class: 'default' })).toEqual({});
    expect(
      score.parameters({
        ...claim,
        params: { connectionLimit: 20, environment: 'staging', target: 'main' },
      }),
    ).toEqual({ connectionLimit: 20, environment: 'staging', target: 'main' });
  });

  it('refuses params it does not take or values out of range, naming the field', () => {
    const refused = (params: Record<string, any>, cls?: string) => {
      try {
        score.parameters({ ...claim, params, class: cls });
        return undefined;
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    expect(refused({ version: '16' })).toMatch(
      /^InputError: resources\.db\.params\.version: Score resource type 'postgres' takes no parameter 'version'/,
    );
    // A restore or another entity's name is not a workload's to set.
    expect(refused({ restoreFrom: { database: 'x' } })).toMatch(
      /^InputError: resources\.db\.params\.restoreFrom: /,
    );
    expect(refused({ connectionLimit: 500 })).toBe(
      'InputError: resources.db.params.connectionLimit: must be at most 200',
    );
    expect(refused({ target: 'other' })).toBe(
      "InputError: resources.db.params.target: must be one of 'main'",
    );
    expect(refused({}, 'large')).toBe(
      "InputError: resources.db.class: 'large' is not a class of Score resource type 'postgres'; use 'default'",
    );
  });

  it("outputs score-k8s's names: values from the outputs, the password and uri from the Secret", () => {
    const request = {
      id: 'r1',
      type: 'postgres',
      name: 'shop-db',
      owner: 'group:default/team',
      createdBy: 'user:default/bob',
      state: 'ready' as const,
      parameters: {
        target: 'main',
        connectionLimit: 10,
        environment: 'development',
        environmentName: 'dev',
      } as PostgresParameters,
      // As PostgresProvisioner.issueCredentials records them.
      outputs: {
        target: 'main',
        host: 'pg.internal',
        port: 5432,
        database: 'shop_db',
        user: 'shop_db_rw',
        readOnlyRole: 'shop_db_ro',
        secretName: 'shop-db-postgres',
        secretNamespace: 'dev-ns',
      },
    };
    const outputs = score.outputs(request);
    expect(outputs).toEqual({
      host: { value: 'pg.internal' },
      port: { value: 5432 },
      name: { value: 'shop_db' },
      database: { value: 'shop_db' },
      username: { value: 'shop_db_rw' },
      password: { secretKeyRef: { name: 'shop-db-postgres', key: 'password' } },
      uri: { secretKeyRef: { name: 'shop-db-postgres', key: 'uri' } },
    });
    // The Secret the type writes (as issueCredentials does) has those keys.
    const secret = connectionSecret({
      name: 'shop-db-postgres',
      namespace: 'dev-ns',
      admin: {
        target: {
          id: 'main',
          connectionHost: 'pg.internal',
          connectionPort: 5432,
        },
      } as unknown as PostgresAdmin,
      database: 'shop_db',
      user: 'shop_db_rw',
      password: 'secret-value',
      request,
      resourceType: 'postgres',
    });
    expectScoreSecretRefs(outputs, secret, 'secret-value');
  });
});
