import { setUp, BOB, MALLORY, TEMPLATE } from '../__testUtils__/serviceFixture';

const ref = (name: string) => `component:default/${name}`;

describe('UpgradeService', () => {
  it('explains the upgrade status of a component', async () => {
    const { service, target } = await setUp();
    const status = await service.status(ref('orders-api'), BOB);
    expect(status).toMatchObject({
      entityRef: ref('orders-api'),
      lineage: {
        templateRef: TEMPLATE,
        version: '1.0.0',
        source: 'repository',
      },
      latestVersion: '1.1.0',
      available: true,
    });
    expect(status.changelog.map(e => e.version)).toEqual(['1.1.0']);
    expect(status.problem).toBeUndefined();

    const legacy = await service.status(ref('legacy'), BOB);
    expect(legacy).toMatchObject({
      lineage: { version: '1.0.0', source: 'annotation' },
      available: false,
    });
    expect(legacy.problem).toMatch(
      /made before Paved recorded template answers/,
    );

    expect((await service.status(ref('ancient'), BOB)).problem).toMatch(
      /0\.1\.0, which is not a released version/,
    );
    expect((await service.status(ref('moved'), BOB)).problem).toMatch(
      /No repository found for component:default\/moved/,
    );
    const unreleased = await service.status(ref('unreleased'), BOB);
    expect(unreleased).toMatchObject({
      lineage: { version: '0.2.0', source: 'annotation' },
      available: false,
    });
    // The cause first, then what else is missing.
    expect(unreleased.problem).toMatch(
      /^component:default\/unreleased records .* 0\.2\.0, which is not a released version.* No repository found/,
    );
    expect((await service.status(ref('plain'), BOB)).problem).toMatch(
      /was not made from a golden path/,
    );
    expect((await service.status(ref('current'), BOB)).available).toBe(false);
    await expect(service.status(ref('nope'), BOB)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(target.proposals).toHaveLength(0);
  });

  it('proposes an upgrade: records it, renders both versions, writes the branch', async () => {
    const { service, store, target, audit } = await setUp();
    const { change, created } = await service.propose({
      entityRef: 'Orders-API',
      credentials: BOB,
    });
    expect(created).toBe(true);
    expect(change).toMatchObject({
      entityRef: ref('orders-api'),
      templateRef: TEMPLATE,
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      branch: 'paved/upgrade-typescript-service-1.1.0',
      title: 'Upgrade typescript-service 1.0.0 → 1.1.0',
      state: 'open',
      conflicts: [],
      createdBy: 'user:default/bob',
      repository: 'orders-api',
      target: 'local',
    });
    expect(change.files).toEqual([
      { path: '.dockerignore', status: 'added', conflicted: false },
      { path: 'Dockerfile', status: 'modified', conflicted: false },
    ]);
    expect(change.headCommit).toMatch(/^[0-9a-f]{40}$/);
    const [proposal] = target.proposals;
    // rendered with the recorded answers
    expect(proposal.change.base.get('README.md')!.content.toString()).toBe(
      '# svc\n',
    );
    expect(proposal.change.body).toContain('### 1.1.0 (2026-12-07)');
    expect(proposal.change.body).toContain('- Node 22');
    expect(proposal.change.body).not.toContain('First release');
    expect(proposal.change.body).toContain(
      'git checkout paved/upgrade-typescript-service-1.1.0',
    );
    expect(proposal.change.body).toMatch(/Refresh/);
    expect(await store.get(change.id)).toEqual(change);
    expect(audit.events).toEqual([
      expect.objectContaining({
        eventId: 'change-propose',
        status: 'succeeded',
        meta: expect.objectContaining({ changeId: change.id, created: true }),
      }),
    ]);

    // again: the same change, nothing written
    const again = await service.propose({
      entityRef: ref('orders-api'),
      toVersion: '1.1.0',
      credentials: BOB,
    });
    expect(again).toEqual({ change, created: false });
    expect(target.proposals).toHaveLength(1);
  });

  it('records conflicts with both sides for the diff view', async () => {
    const { service, target } = await setUp();
    const { change } = await service.propose({
      entityRef: ref('edited'),
      credentials: BOB,
    });
    expect(change.state).toBe('conflicted');
    expect(change.conflicts).toEqual(['Dockerfile']);
    const diff = await service.diff(change.id, BOB);
    expect(diff.files.find(f => f.path === 'Dockerfile')).toMatchObject({
      conflicted: true,
      conflict: {
        base: 'FROM node:20\n',
        ours: 'FROM node:20-alpine\n',
        theirs: 'FROM node:22\n',
      },
    });
    expect(
      diff.files.find(f => f.path === '.dockerignore')?.conflict,
    ).toBeUndefined();

    await expect(service.merge(change.id, BOB)).rejects.toThrow(
      /still has conflicts in Dockerfile/,
    );

    // the team resolves and pushes; Refresh sees no markers
    target.repos.get('edited')!.branches.get(change.branch)!.conflicted = [];
    const refreshed = await service.refresh(change.id, BOB);
    expect(refreshed).toMatchObject({ state: 'open', conflicts: [] });
    expect(refreshed.files.every(f => !f.conflicted)).toBe(true);
  });

  it('merges an open change and refreshes the component in the catalog', async () => {
    const { service, target, refreshEntity } = await setUp();
    const { change } = await service.propose({
      entityRef: ref('orders-api'),
      credentials: BOB,
    });
    await expect(service.merge(change.id, MALLORY)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(ref('orders-api')),
    });
    const merged = await service.merge(change.id, BOB);
    expect(merged).toMatchObject({
      state: 'merged',
      mergeCommit: target.repos.get('orders-api')!.head,
    });
    expect(merged.mergedAt).toBeDefined();
    expect(refreshEntity).toHaveBeenCalledWith(ref('orders-api'), {
      credentials: BOB,
    });
    await expect(service.merge(change.id, BOB)).rejects.toThrow(
      /is merged; only an open change can be merged/,
    );
    await expect(service.close(change.id, BOB)).rejects.toMatchObject({
      name: 'ConflictError',
    });

    // the next version can be proposed again once merged
    const second = await service.propose({
      entityRef: ref('orders-api'),
      credentials: BOB,
    });
    expect(second.created).toBe(true);
  });

  it('closes a change (idempotently) and follows branches changed elsewhere', async () => {
    const { service, target } = await setUp();
    const { change } = await service.propose({
      entityRef: ref('orders-api'),
      credentials: BOB,
    });
    const closed = await service.close(change.id, BOB);
    expect(closed.state).toBe('closed');
    expect(await service.close(change.id, BOB)).toEqual(closed);
    expect(target.closes).toEqual([`orders-api:${change.branch}`]);

    // proposed again, then merged on the host: Refresh says merged
    const { change: next } = await service.propose({
      entityRef: ref('orders-api'),
      credentials: BOB,
    });
    expect(next.id).not.toBe(change.id);
    target.repos.get('orders-api')!.branches.get(next.branch)!.merged = true;
    expect((await service.refresh(next.id, BOB)).state).toBe('merged');

    // proposed on another service, branch deleted: Refresh says closed
    const { change: other } = await service.propose({
      entityRef: ref('edited'),
      credentials: BOB,
    });
    target.repos.get('edited')!.branches.delete(other.branch);
    expect((await service.refresh(other.id, BOB)).state).toBe('closed');
  });

  it('keeps the recorded state when the target cannot read the branch back (hosted)', async () => {
    const { service, target } = await setUp();
    const { change } = await service.propose({
      entityRef: ref('edited'),
      credentials: BOB,
    });
    expect(change.state).toBe('conflicted');
    // A hosted target does not read the request back; the fake's branch says
    // resolved, which refresh must not take for the host's word.
    target.repos.get('edited')!.branches.get(change.branch)!.conflicted = [];
    jest.spyOn(target, 'inspect').mockResolvedValue({ known: false });
    const refreshed = await service.refresh(change.id, BOB);
    expect(refreshed).toEqual(change);
    expect(refreshed).toMatchObject({
      state: 'conflicted',
      conflicts: ['Dockerfile'],
    });
  });

  it('refuses what cannot be proposed, saying why', async () => {
    const { service, target, store } = await setUp();
    const propose = (name: string, extra: object = {}, credentials = BOB) =>
      service.propose({ entityRef: ref(name), credentials, ...extra });

    await expect(propose('orders-api', {}, MALLORY)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('component:default/orders-api'),
    });
    await expect(propose('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining("'component:default/nope'"),
    });
    await expect(
      service.propose({ entityRef: 'system:default/docs', credentials: BOB }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/entityRef: .*only components/),
    });
    await expect(propose('legacy')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'made before Paved recorded template answers',
      ),
    });
    await expect(propose('mismatch')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('template:default/go-service'),
    });
    await expect(
      propose('orders-api', { toVersion: '9.9.9' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'toVersion: 9.9.9 is not a released version',
      ),
    });
    await expect(
      propose('orders-api', { toVersion: '1.0.0' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('1.0.0 is not newer'),
    });
    await expect(propose('current')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(propose('ancient')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('0.1.0'),
    });
    await expect(propose('moved')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('moved or deleted'),
    });
    // listed, but its files are gone: NotFound from read, and no record left behind
    await expect(propose('preview')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('0.9.0'),
    });
    // the answers no longer fit the form
    await expect(propose('broken')).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(await store.list({})).toEqual([]);
    expect(target.proposals).toEqual([]);
  });

  it('finishes a change left proposing by a crash, with or without its branch', async () => {
    const { service, target, store } = await setUp();
    // crash before the branch was written
    target.failNextPropose = new Error('the process died');
    await expect(
      service.propose({ entityRef: ref('orders-api'), credentials: BOB }),
    ).rejects.toThrow('the process died');
    const [left] = await store.list({});
    expect(left.state).toBe('proposing');
    expect(target.repos.get('orders-api')!.branches.size).toBe(0);

    const resumed = await service.propose({
      entityRef: ref('orders-api'),
      credentials: BOB,
    });
    expect(resumed).toMatchObject({
      created: false,
      change: { id: left.id, state: 'open' },
    });

    // crash after the branch was written but before the record was updated
    const { change: edited } = await service.propose({
      entityRef: ref('edited'),
      credentials: BOB,
    });
    const head = edited.headCommit;
    await store.update(edited.id, {
      state: 'proposing',
      updatedAt: '2026-12-07T11:00:00.000Z',
    });
    const again = await service.propose({
      entityRef: ref('edited'),
      credentials: BOB,
    });
    expect(again.change).toMatchObject({
      id: edited.id,
      state: 'conflicted',
      headCommit: head,
      conflicts: ['Dockerfile'],
    });
    expect(await store.list({ entityRef: ref('edited') })).toHaveLength(1);
  });

  it('answers 404 for unknown changes', async () => {
    const { service } = await setUp();
    await expect(service.get('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "There is no change request 'nope'",
    });
    await expect(service.merge('nope', BOB)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});
