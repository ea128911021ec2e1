import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { campaignHarness, component } from './__testUtils__/fakes';
import {
  reminderKindFor,
  scheduleCampaignReminders,
  sendCampaignReminders,
} from './scheduleCampaignReminders';

const platform = mockCredentials.user('user:default/platform');

describe('reminderKindFor', () => {
  it.each([
    ['2026-12-20T10:00:00Z', undefined],
    ['2026-12-24T00:00:00Z', 'week'],
    ['2026-12-29T23:59:59Z', 'week'],
    ['2026-12-30T00:00:00Z', 'day'],
    ['2026-12-31T23:00:00Z', 'day'],
    ['2027-01-01T00:00:00Z', 'overdue'],
  ])('at %s for a deadline of 2026-12-31: %s', (now, kind) => {
    expect(reminderKindFor('2026-12-31', new Date(now))).toBe(kind);
  });
});

describe('sendCampaignReminders', () => {
  async function setup() {
    const h = await campaignHarness([
      component('orders-api', { owner: 'team-a' }),
      component('billing-api', { owner: 'team-b' }),
      component('no-repo', { owner: 'team-c' }),
    ]);
    h.changes.failing.set('component:default/no-repo', 'no repository');
    const campaign = await h.service.create(
      {
        title: 'Move to 1.1.0',
        templateRef: 'typescript-service',
        toVersion: '1.1.0',
        deadline: '2026-12-31',
      },
      platform,
    );
    await h.service.run(campaign.id, platform);
    h.changes.setState('component:default/billing-api', 'merged');
    h.sent.length = 0;
    const options = {
      campaigns: h.service,
      store: h.store,
      notifications: h.notifications,
      logger: h.logger,
    };
    return { ...h, campaign, options };
  }

  it('reminds each unmerged service once per kind, and snapshots once a day', async () => {
    const h = await setup();
    const at = (iso: string) => sendCampaignReminders(h.options, new Date(iso));

    // more than a week ahead: nothing to remind; the run snapshotted today already
    expect(await at('2026-12-07T10:00:00Z')).toEqual({
      reminders: 0,
      snapshots: 0,
    });
    // the next day: a snapshot, still no reminder
    expect(await at('2026-12-08T10:00:00Z')).toEqual({
      reminders: 0,
      snapshots: 1,
    });
    expect(await at('2026-12-08T11:00:00Z')).toEqual({
      reminders: 0,
      snapshots: 0,
    });

    // a week before: orders-api (open) and no-repo (no change), not billing-api (merged)
    expect(await at('2026-12-24T10:00:00Z')).toEqual({
      reminders: 2,
      snapshots: 1,
    });
    expect(
      h.sent.map(n => [
        n.recipients.entityRef,
        n.payload.title,
        n.payload.link,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          'group:default/team-a',
          'Reminder: Upgrade orders-api to typescript-service 1.1.0 by 2026-12-31',
          expect.stringMatching(/^\/upgrades\/changes\//),
        ],
        [
          'group:default/team-c',
          'Reminder: Upgrade no-repo to typescript-service 1.1.0 by 2026-12-31',
          `/upgrades/campaigns/${h.campaign.id}`,
        ],
      ]),
    );
    // every hour after: never twice
    expect(await at('2026-12-24T11:00:00Z')).toEqual({
      reminders: 0,
      snapshots: 0,
    });
    expect(await at('2026-12-26T11:00:00Z')).toEqual({
      reminders: 0,
      snapshots: 1,
    });

    // a day before, then overdue; orders-api merged in between
    expect((await at('2026-12-30T10:00:00Z')).reminders).toBe(2);
    h.changes.setState('component:default/orders-api', 'merged');
    expect((await at('2027-01-01T10:00:00Z')).reminders).toBe(1);
    expect((await at('2027-01-02T10:00:00Z')).reminders).toBe(0);
    expect(h.sent.map(n => n.payload.title.split(':')[0])).toEqual([
      'Reminder',
      'Reminder',
      'Due tomorrow',
      'Due tomorrow',
      'Overdue',
    ]);
    expect(h.sent.at(-1).payload.severity).toBe('high');

    const progress = (await h.service.get(h.campaign.id)).progress;
    expect(progress.map(p => p.at.slice(0, 10))).toEqual([
      '2026-12-07', // the run
      '2026-12-08',
      '2026-12-24',
      '2026-12-26',
      '2026-12-30',
      '2027-01-01',
      '2027-01-02',
      '2026-12-07', // now (the service's clock)
    ]);
  });

  it('stops snapshotting a finished campaign whose counts do not change', async () => {
    const h = await setup();
    h.changes.setState('component:default/orders-api', 'merged');
    h.changes.add('component:default/no-repo', {
      toVersion: '1.1.0',
      campaignId: h.campaign.id,
      state: 'closed',
    });
    expect(
      (await sendCampaignReminders(h.options, new Date('2026-12-08T10:00:00Z')))
        .snapshots,
    ).toBe(1);
    expect(
      (await sendCampaignReminders(h.options, new Date('2026-12-09T10:00:00Z')))
        .snapshots,
    ).toBe(0);
  });

  it('does not remind owners who closed their change', async () => {
    const h = await setup();
    h.changes.setState('component:default/orders-api', 'closed');
    const result = await sendCampaignReminders(
      h.options,
      new Date('2026-12-24T10:00:00Z'),
    );
    // only no-repo (no change yet): orders-api's owners closed theirs, billing-api merged
    expect(result.reminders).toBe(1);
    expect(h.sent.map(n => n.recipients)).toEqual([
      { type: 'entity', entityRef: 'group:default/team-c' },
    ]);
  });

  it('goes on with the other campaigns when one fails', async () => {
    const h = await setup();
    const second = await h.service.create(
      {
        title: 'Second',
        templateRef: 'typescript-service',
        toVersion: '1.1.0',
        deadline: '2026-12-31',
      },
      platform,
    );
    await h.service.run(second.id, platform);
    const listChanges = h.changes.listChanges.bind(h.changes);
    jest.spyOn(h.changes, 'listChanges').mockImplementation(async filter => {
      if (filter.campaignId === second.id) throw new Error('database gone');
      return listChanges(filter);
    });
    const result = await sendCampaignReminders(
      h.options,
      new Date('2026-12-24T10:00:00Z'),
    );
    expect(result.reminders).toBe(2);
    expect(h.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database gone'),
    );
  });

  it('is scheduled every hour, a minute after start', async () => {
    const h = await setup();
    const scheduler = mockServices.scheduler.mock();
    await scheduleCampaignReminders({ ...h.options, scheduler });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'upgrades-campaign-reminders',
        frequency: { hours: 1 },
        initialDelay: { minutes: 1 },
        scope: 'global',
      }),
    );
  });

  it('takes its schedule from paved.upgrades.campaigns.reminderSchedule when given', async () => {
    const h = await setup();
    const scheduler = mockServices.scheduler.mock();
    const schedule = {
      frequency: { seconds: 8 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 1 },
    };
    await scheduleCampaignReminders({ ...h.options, scheduler, schedule });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'upgrades-campaign-reminders',
        ...schedule,
        scope: 'global',
      }),
    );
  });
});
