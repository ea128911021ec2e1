import { mockCredentials } from '@backstage/backend-test-utils';
import { campaignHarness, component, TEMPLATE } from './__testUtils__/fakes';

const platform = mockCredentials.user('user:default/platform');
const developer = mockCredentials.user('user:default/dev');

const body = {
  title: 'Move to typescript-service 1.1.0',
  templateRef: 'typescript-service',
  toVersion: '1.1.0',
  deadline: '2027-01-31',
};

const fleet = [
  component('orders-api', { version: '1.0.0', owner: 'team-a' }),
  component('billing-api', { version: '1.0.3', owner: 'group:default/team-b' }),
  // normalised refs: the same template spelled in full
  component('search-api', { template: TEMPLATE, version: '1.0.0' }),
  component('no-repo', { version: '1.0.0' }),
  component('current', { version: '1.1.0' }),
  component('other-template', { template: 'template:default/python-service' }),
  component('no-version', { version: null }),
];

describe('CampaignService', () => {
  describe('create', () => {
    it('creates a campaign with defaults and audits it', async () => {
      const { service, events } = await campaignHarness([]);
      const campaign = await service.create(
        {
          title: 'All to latest',
          templateRef: TEMPLATE,
          deadline: '2027-01-31',
        },
        platform,
      );
      expect(campaign).toMatchObject({
        title: 'All to latest',
        templateRef: TEMPLATE,
        toVersion: '2.0.0',
        fromRange: '<2.0.0',
        deadline: '2027-01-31',
        createdBy: 'user:default/platform',
        createdAt: '2026-12-07T09:00:00.000Z',
        counts: {
          total: 0,
          notStarted: 0,
          open: 0,
          conflicted: 0,
          merged: 0,
          closed: 0,
        },
      });
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'upgrade-campaign-create',
          status: 'succeeded',
          meta: expect.objectContaining({ campaignId: campaign.id }),
        }),
      ]);
      expect((await service.list()).items.map(c => c.id)).toEqual([
        campaign.id,
      ]);
    });

    it.each([
      [{ ...body, title: '' }, /title: is required/],
      [{ ...body, title: 'x'.repeat(201) }, /title: Too big/],
      [
        { ...body, templateRef: 'python-service' },
        /templateRef: there is no template 'template:default\/python-service'/,
      ],
      [{ ...body, templateRef: 'a:b:c/d' }, /templateRef:/],
      [
        { ...body, toVersion: '1.5.0' },
        /toVersion: 1.5.0 is not a released version .*released: 2.0.0, 1.1.0, 1.0.0/,
      ],
      [
        { ...body, fromRange: 'not a range' },
        /fromRange: 'not a range' is not a semver range/,
      ],
      [
        { ...body, fromRange: '1.x' },
        /fromRange: '1.x' includes the version to move to, 1.1.0/,
      ],
      [
        { ...body, deadline: '31/01/2027' },
        /deadline: must be a date, YYYY-MM-DD/,
      ],
      [{ ...body, deadline: '2027-02-30' }, /deadline: is not a date/],
      [
        { ...body, deadline: '2026-12-06' },
        /deadline: 2026-12-06 is in the past/,
      ],
      [undefined, /title: .*templateRef: .*deadline:/],
    ])('refuses %# with a 400 naming the field', async (input, message) => {
      const { service, store, events } = await campaignHarness([]);
      const error = await service.create(input, platform).catch(e => e);
      expect(error).toMatchObject({ name: 'InputError' });
      expect(error.message).toMatch(message);
      expect(await store.list()).toEqual([]);
      expect(events).toEqual([expect.objectContaining({ status: 'failed' })]);
    });

    it('accepts a deadline of today', async () => {
      const { service } = await campaignHarness([]);
      await expect(
        service.create({ ...body, deadline: '2026-12-07' }, platform),
      ).resolves.toMatchObject({ deadline: '2026-12-07' });
    });

    it('is for the platform team only', async () => {
      const { service, store, events } = await campaignHarness([]);
      await expect(service.create(body, developer)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      expect(await store.list()).toEqual([]);
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'upgrade-campaign-create',
          status: 'failed',
        }),
      ]);
    });
  });

  describe('run', () => {
    it('opens one change per service of the template in range, records problems, notifies owners', async () => {
      const h = await campaignHarness(fleet);
      h.changes.failing.set(
        'component:default/no-repo',
        'component:default/no-repo names no repository',
      );
      h.changes.conflicted.add('component:default/billing-api');
      const campaign = await h.service.create(body, platform);

      const details = await h.service.run(campaign.id, platform);

      expect(details.targets).toEqual([
        {
          entityRef: 'component:default/billing-api',
          owner: 'group:default/team-b',
          fromVersion: '1.0.3',
          state: 'conflicted',
          changeId: expect.any(String),
        },
        {
          entityRef: 'component:default/no-repo',
          owner: 'group:default/team-a',
          fromVersion: '1.0.0',
          state: 'not-started',
          problem: 'component:default/no-repo names no repository',
        },
        expect.objectContaining({
          entityRef: 'component:default/orders-api',
          state: 'open',
        }),
        expect.objectContaining({
          entityRef: 'component:default/search-api',
          state: 'open',
        }),
      ]);
      expect(details.counts).toEqual({
        total: 4,
        notStarted: 1,
        open: 2,
        conflicted: 1,
        merged: 0,
        closed: 0,
      });
      expect(details.lastRunAt).toBe('2026-12-07T09:00:00.000Z');
      // the run's snapshot, then the current counts as the last point
      expect(details.progress).toEqual([
        { at: '2026-12-07T09:00:00.000Z', counts: details.counts },
        { at: '2026-12-07T09:00:00.000Z', counts: details.counts },
      ]);
      expect(
        h.changes.changes.every(
          c => c.campaignId === campaign.id && c.toVersion === '1.1.0',
        ),
      ).toBe(true);

      expect(h.sent).toHaveLength(3);
      const orders = h.changes.changes.find(
        c => c.entityRef === 'component:default/orders-api',
      )!;
      expect(h.sent).toContainEqual({
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title: 'Upgrade orders-api to typescript-service 1.1.0 by 2027-01-31',
          link: `/upgrades/changes/${orders.id}`,
          topic: 'upgrades',
        }),
      });
      expect(
        h.sent.find(n => n.recipients.entityRef === 'group:default/team-b')
          .payload.description,
      ).toMatch(/conflicts/);
      expect(h.events.at(-1)).toMatchObject({
        eventId: 'upgrade-campaign-run',
        status: 'succeeded',
        meta: { campaignId: campaign.id, targets: 4, problems: 1 },
      });
    });

    it('never duplicates on a re-run, retries problems and keeps targets found once', async () => {
      const h = await campaignHarness(fleet);
      h.changes.failing.set('component:default/no-repo', 'no repository');
      const campaign = await h.service.create(body, platform);
      await h.service.run(campaign.id, platform);
      const opened = h.changes.changes.length;
      h.sent.length = 0;
      h.changes.calls.length = 0;

      // orders-api merged; no-repo got its repository
      h.changes.setState('component:default/orders-api', 'merged');
      h.changes.failing.clear();

      const details = await h.service.run(campaign.id, platform);
      // only the one without a change was proposed again
      expect(h.changes.calls).toEqual(['component:default/no-repo']);
      expect(h.changes.changes).toHaveLength(opened + 1);
      expect(h.sent).toHaveLength(1);
      expect(details.counts).toMatchObject({
        total: 4,
        notStarted: 0,
        open: 3,
        merged: 1,
      });
      expect(
        details.targets.find(t => t.entityRef === 'component:default/no-repo')
          ?.problem,
      ).toBeUndefined();
      expect(details.progress).toHaveLength(3);
    });

    it('leaves a change its owners closed alone, and counts a change opened outside the campaign', async () => {
      const h = await campaignHarness([
        component('orders-api'),
        component('billing-api'),
      ]);
      // billing-api's owner proposed 1.1.0 before the campaign existed
      const own = h.changes.add('component:default/billing-api', {
        toVersion: '1.1.0',
        state: 'open',
      });
      const campaign = await h.service.create(body, platform);
      const first = await h.service.run(campaign.id, platform);
      expect(
        first.targets.find(
          t => t.entityRef === 'component:default/billing-api',
        ),
      ).toMatchObject({
        state: 'open',
        changeId: own.id,
      });
      expect(h.sent.map(n => n.recipients.entityRef)).toEqual([
        'group:default/team-a',
      ]);

      // the owners closed orders-api's change: their decision, not proposed again
      h.changes.setState('component:default/orders-api', 'closed');
      h.changes.calls.length = 0;
      h.sent.length = 0;
      const second = await h.service.run(campaign.id, platform);
      expect(h.changes.calls).toEqual([]);
      expect(h.sent).toEqual([]);
      expect(
        second.targets.find(t => t.entityRef === 'component:default/orders-api')
          ?.state,
      ).toBe('closed');
      expect(second.counts).toMatchObject({ total: 2, open: 1, closed: 1 });

      // a change a crash left `proposing` is proposed again, which finishes it
      h.changes.setState('component:default/billing-api', 'proposing');
      await h.service.run(campaign.id, platform);
      expect(h.changes.calls).toEqual(['component:default/billing-api']);
    });

    it('keeps a target found once after the catalog moved it on', async () => {
      const entities = [component('orders-api')];
      const h = await campaignHarness(entities);
      const campaign = await h.service.create(body, platform);
      await h.service.run(campaign.id, platform);
      h.changes.setState('component:default/orders-api', 'merged');
      entities[0].metadata.annotations!['paved.dev/template-version'] = '1.1.0';
      const details = await h.service.run(campaign.id, platform);
      expect(details.targets).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/orders-api',
          fromVersion: '1.0.0',
          state: 'merged',
        }),
      ]);
      // the catalog did move on: a new campaign finds nothing
      const fresh = await h.service.create(body, platform);
      expect((await h.service.run(fresh.id, platform)).targets).toEqual([]);
    });

    it('opens at most 4 changes at once', async () => {
      const many = Array.from({ length: 20 }, (_, i) => component(`svc-${i}`));
      const h = await campaignHarness(many);
      const campaign = await h.service.create(body, platform);
      const details = await h.service.run(campaign.id, platform);
      expect(details.counts.open).toBe(20);
      expect(h.changes.maxInFlight).toBe(4);
    });

    it('matches "x" ranges and coerced versions', async () => {
      const h = await campaignHarness([
        component('a', { version: '1.0' }),
        component('b', { version: '1.1.0' }),
        component('c', { version: '0.9.0' }),
      ]);
      const campaign = await h.service.create(
        { ...body, toVersion: '2.0.0', fromRange: '1.x' },
        platform,
      );
      const details = await h.service.run(campaign.id, platform);
      expect(details.targets.map(t => [t.entityRef, t.fromVersion])).toEqual([
        ['component:default/a', '1.0.0'],
        ['component:default/b', '1.1.0'],
      ]);
    });

    it('is for the platform team only, and 404s for an unknown campaign', async () => {
      const h = await campaignHarness(fleet);
      const campaign = await h.service.create(body, platform);
      await expect(h.service.run(campaign.id, developer)).rejects.toMatchObject(
        { name: 'NotAllowedError' },
      );
      expect(h.changes.calls).toEqual([]);
      await expect(h.service.run('nope', platform)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(h.service.get('x'.repeat(300))).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(
        h.events
          .filter(e => e.eventId === 'upgrade-campaign-run')
          .map(e => e.status),
      ).toEqual(['failed', 'failed']);
    });
  });
});
