import { MAX_TYPE_ID_LENGTH, typeIdOf } from './typeId';

describe('typeIdOf', () => {
  it('is xr- and the XRD name in kebab-case', () => {
    expect(typeIdOf('xbuckets.storage.example.org')).toBe(
      'xr-xbuckets-storage-example-org',
    );
    expect(typeIdOf('xpostgresqlinstances.db.acme.io')).toBe(
      'xr-xpostgresqlinstances-db-acme-io',
    );
    // Runs of dashes (IDNA labels) collapse: ids are kebab-case.
    expect(typeIdOf('xqueues.xn--bcher-kva.example')).toBe(
      'xr-xqueues-xn-bcher-kva-example',
    );
  });

  it('shortens a long name stably, with a hash of the whole name that keeps it unique', () => {
    const long =
      'xpostgresqlinstances.database.platform.internal.eu-west-1.example.com';
    const other =
      'xpostgresqlinstances.database.platform.internal.eu-west-1.example.org';
    const id = typeIdOf(long);
    expect(id).toMatch(
      /^xr-xpostgresqlinstances-database-platform-[a-z-]*-[0-9a-f]{8}$/,
    );
    expect(id.length).toBeLessThanOrEqual(MAX_TYPE_ID_LENGTH);
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(typeIdOf(long)).toBe(id);
    expect(typeIdOf(other)).not.toBe(id);
  });
});
