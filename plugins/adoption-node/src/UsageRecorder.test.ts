import { mockServices } from '@backstage/backend-test-utils';
import { EventsService } from '@backstage/plugin-events-node';
import {
  USAGE_EVENTS_TOPIC,
  usageEventSchema,
} from '@paved/plugin-adoption-common';
import { EventsUsageRecorder } from './UsageRecorder';

const now = () => new Date('2026-11-26T03:00:00.000Z');

function fakeEvents(publish: EventsService['publish']): EventsService {
  return {
    publish,
    subscribe: async () => {},
  };
}

describe('EventsUsageRecorder', () => {
  it('publishes the event on the usage topic with its plugin and time', async () => {
    const publish = jest.fn(async () => {});
    const recorder = new EventsUsageRecorder(
      'runbooks',
      fakeEvents(publish),
      mockServices.logger.mock(),
      now,
    );

    await recorder.record({
      action: 'runbook-run',
      subject: 'restart',
      actor: 'user:default/bob',
      outcome: 'succeeded',
    });

    expect(publish).toHaveBeenCalledWith({
      topic: USAGE_EVENTS_TOPIC,
      eventPayload: {
        plugin: 'runbooks',
        occurredAt: '2026-11-26T03:00:00.000Z',
        action: 'runbook-run',
        subject: 'restart',
        actor: 'user:default/bob',
        outcome: 'succeeded',
      },
    });
    const [[{ eventPayload }]] = publish.mock.calls as any;
    expect(usageEventSchema.safeParse(eventPayload).success).toBe(true);
  });

  it('logs and swallows a failure to publish', async () => {
    const logger = mockServices.logger.mock();
    const recorder = new EventsUsageRecorder(
      'incidents',
      fakeEvents(async () => {
        throw new Error('broker down');
      }),
      logger,
      now,
    );

    await expect(
      recorder.record({ action: 'incident-open', outcome: 'failed' }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not record usage event incident-open'),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('broker down'),
    );
  });
});
