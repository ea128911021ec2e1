/*
 * A new database restored from another request's backup (`restoreFrom`), on a real
 * PostgreSQL server and Kubernetes API server, its steps run directly; the backups in
 * a folder and in a bucket of the real test S3 server.
 */
import { JsonObject } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { inMemoryRequestLookup } from '@paved/plugin-provisioning-node';
import { stepHarness } from './__testUtils__/harness';
import { capturingRootLogger, directStepContext } from '@paved/test-utils';
import { sqlState, withClient } from './__testUtils__/testPostgres';
import {
  BACKUP_STORE_TYPES,
  backupStoreFixture,
} from './__testUtils__/backupStores';
import { findPgTools, PostgresBackups } from './backups/PostgresBackups';
import { PostgresParameters } from './PostgresProvisioner';
import { createPostgresResourceType } from './postgresResourceType';

jest.setTimeout(60_000);

const h = stepHarness();
const logs = capturingRootLogger();

const parameters = (
  restoreFrom?: PostgresParameters['restoreFrom'],
): PostgresParameters => ({
  target: 'main',
  connectionLimit: 5,
  environment: 'development',
  ...(restoreFrom ? { restoreFrom } : {}),
});

describe.each(BACKUP_STORE_TYPES)(
  'restoring a backup from the %s store into a new database',
  type => {
    // Names of this store's run: request `${RUN}-${type}-x` has database `${RUN}_${type}_x`.
    const N = `${h.RUN}-${type}`;
    const D = `${h.RUN}_${type}`;
    const OWNER = `group:default/${N}-team`;
    const NAMESPACE = teamNamespace(OWNER);
    const fixture = backupStoreFixture(type);
    const backups = new PostgresBackups({
      store: fixture.store,
      ...findPgTools(),
    });
    const postgres = createPostgresResourceType({
      config: h.config,
      admins: h.admins,
      secrets: h.secrets,
      backups,
    });
    const source = h.stored('postgres', `${N}-source`, OWNER, parameters());
    const SOURCE_DB = `${D}_source`;
    let sourceOutputs: JsonObject;
    const lookup = () =>
      inMemoryRequestLookup([h.referenced(source, sourceOutputs)]);
    const uriOf = async (name: string) =>
      (await h.readSecret(`${name}-postgres`, NAMESPACE)).data.uri;
    const rows = (uri: string) =>
      withClient(uri, async c =>
        (await c.query('SELECT id, item FROM items ORDER BY id')).rows.map(
          r => `${r.id}:${r.item}`,
        ),
      );

    beforeAll(async () => {
      await fixture.setUp();
      h.namespaces.add(NAMESPACE);
      const ctx = directStepContext<PostgresParameters>({
        request: source,
        outputs: {},
        logger: logs.logger,
      });
      await postgres.provision(ctx);
      sourceOutputs = ctx.outputs;
    });

    afterAll(async () => {
      await h.cleanup();
      await fixture.tearDown();
    });

    it('names the source as a reference the requester must be allowed to read', () => {
      const input = {
        type: 'postgres',
        name: `${N}-copy`,
        owner: OWNER,
        parameters: parameters({ database: source.name }),
        createdBy: 'user:default/bob',
      };
      expect(postgres.references!(input)).toEqual([
        {
          field: 'parameters.restoreFrom.database',
          type: 'postgres',
          name: source.name,
          permission: 'read',
        },
      ]);
      expect(
        postgres.references!({ ...input, parameters: parameters() }),
      ).toEqual([]);
    });

    it('fails for good, naming the field, when there is no backup or no source', async () => {
      let attempts = 0;
      const attempt = async (
        restoreFrom: PostgresParameters['restoreFrom'],
      ) => {
        attempts += 1;
        const ctx = directStepContext<PostgresParameters>({
          request: h.stored(
            'postgres',
            `${N}-empty-${attempts}`,
            OWNER,
            parameters(restoreFrom),
          ),
          outputs: {},
          logger: logs.logger,
          requests: lookup(),
        });
        const error = await postgres.provision(ctx).catch(e => e);
        // The database was made, but no credentials were issued for it.
        expect(ctx.outputs.secretUid).toBeUndefined();
        expect(error.name).toBe('NonRetryableError');
        return error.message;
      };
      expect(await attempt({ database: source.name })).toBe(
        `parameters.restoreFrom.backup: database '${source.name}' has no backup yet; make one with its Back up now action`,
      );
      expect(
        await attempt({
          database: source.name,
          backup: '20260101T000000000Z-abcd',
        }),
      ).toBe(
        `parameters.restoreFrom.backup: there is no backup '20260101T000000000Z-abcd' of database '${source.name}'`,
      );
      expect(await attempt({ database: `${N}-nowhere` })).toBe(
        `parameters.restoreFrom.database: there is no provisioned postgres database '${N}-nowhere'`,
      );
    });

    it("restores the source's rows into a new database that its own login role owns, and leaves the source alone", async () => {
      const sourceUri = await uriOf(source.name);
      await withClient(sourceUri, async app => {
        await app.query(
          'CREATE TABLE items (id serial PRIMARY KEY, item text)',
        );
        await app.query(
          "INSERT INTO items (item) SELECT 'item ' || g FROM generate_series(1, 25) g",
        );
      });
      const expected = await rows(sourceUri);
      const backup = await backups.backup(h.admin, {
        target: 'main',
        database: SOURCE_DB,
        requestId: source.id,
      });
      // Changed after the backup: the copy must not see it.
      await withClient(sourceUri, app =>
        app.query("INSERT INTO items (item) VALUES ('after the backup')"),
      );

      const copy = h.stored(
        'postgres',
        `${N}-copy`,
        OWNER,
        parameters({ database: source.name }),
      );
      const COPY_DB = `${D}_copy`;
      const ctx = directStepContext<PostgresParameters>({
        request: copy,
        outputs: {},
        logger: logs.logger,
        requests: lookup(),
      });
      await postgres.provision(ctx);
      expect(ctx.outputs).toMatchObject({
        database: COPY_DB,
        restoredFrom: {
          database: source.name,
          backup: backup.id,
          createdAt: backup.createdAt,
        },
      });

      const copyUri = await uriOf(copy.name);
      expect(await rows(copyUri)).toEqual(expected);
      // The copy's login role owns what was restored, and writes to it.
      expect(
        await h.sql(
          "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'",
          [],
          COPY_DB,
        ),
      ).toEqual([{ tableowner: `${COPY_DB}_rw` }]);
      await withClient(copyUri, async app => {
        await app.query("INSERT INTO items (item) VALUES ('copy only')");
        await app.query('ALTER TABLE items ADD COLUMN note text');
      });
      // Its read-only role reads it; the source's roles have no grant in it.
      expect(
        await h.sql(
          `SELECT has_table_privilege($1, 'items', 'SELECT') AS own_reader,
                has_table_privilege($2, 'items', 'SELECT') AS source_reader,
                has_table_privilege($3, 'items', 'SELECT') AS source_writer`,
          [`${COPY_DB}_ro`, `${SOURCE_DB}_ro`, `${SOURCE_DB}_rw`],
          COPY_DB,
        ),
      ).toEqual([
        { own_reader: true, source_reader: false, source_writer: false },
      ]);
      // Still the copy's database, as its request marked it.
      expect(
        await h.sql(
          "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
          [COPY_DB],
        ),
      ).toEqual([{ comment: `paved:request:${copy.id}` }]);

      // The source is untouched.
      expect(await rows(sourceUri)).toEqual([
        ...expected,
        '26:after the backup',
      ]);
      expect(
        await sqlState(
          withClient(sourceUri, app => app.query('SELECT note FROM items')),
        ),
      ).toBe('42703');

      // A resumed (or repeated) provision does not restore again.
      const again = directStepContext<PostgresParameters>({
        request: copy,
        outputs: ctx.outputs,
        logger: logs.logger,
        requests: lookup(),
      });
      await postgres.provision(again);
      expect(await rows(await uriOf(copy.name))).toEqual([
        ...expected,
        '26:copy only',
      ]);
    });

    it('restores the backup it names rather than the newest', async () => {
      const ownerOfBackups = {
        target: 'main',
        database: SOURCE_DB,
        requestId: source.id,
      };
      const [older] = await backups.store.list(ownerOfBackups);
      await backups.backup(h.admin, ownerOfBackups);
      const named = h.stored(
        'postgres',
        `${N}-named`,
        OWNER,
        parameters({ database: source.name, backup: older.id }),
      );
      const ctx = directStepContext<PostgresParameters>({
        request: named,
        outputs: {},
        logger: logs.logger,
        requests: lookup(),
      });
      await postgres.provision(ctx);
      expect(ctx.outputs.restoredFrom).toMatchObject({ backup: older.id });
      // The older backup has 25 rows; the newest 26.
      expect(await rows(await uriOf(named.name))).toHaveLength(25);
    });
  },
);
