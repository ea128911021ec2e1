import { mockServices } from '@backstage/backend-test-utils';
import { audited } from './audited';

function setup() {
  const auditor = mockServices.auditor.mock();
  const success = jest.fn(async () => {});
  const fail = jest.fn(async () => {});
  auditor.createEvent.mockResolvedValue({ success, fail });
  const record = jest.fn(async () => {});
  return { auditor, success, fail, record };
}

describe('audited', () => {
  it('audits and records the success with the merged usage facts', async () => {
    const { auditor, success, record } = setup();

    const result = await audited(
      auditor,
      {
        eventId: 'request-create',
        request: {} as any,
        meta: { name: 'x' },
        usage: {
          recorder: { record },
          actor: 'user:default/bob',
          facts: { subject: 'postgres', team: 'group:default/a' },
        },
      },
      async () => ({ id: '1' }),
      r => ({ requestId: r.id }),
      () => ({ team: 'group:default/b' }),
    );

    expect(result).toEqual({ id: '1' });
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'request-create',
      severityLevel: 'medium',
      request: {},
      meta: { name: 'x' },
    });
    expect(success).toHaveBeenCalledWith({ meta: { requestId: '1' } });
    expect(record).toHaveBeenCalledWith({
      action: 'request-create',
      outcome: 'succeeded',
      actor: 'user:default/bob',
      durationMs: expect.any(Number),
      subject: 'postgres',
      team: 'group:default/b',
    });
  });

  it('audits and records the failure, and rethrows', async () => {
    const { auditor, fail, record } = setup();
    const error = new Error('refused');

    await expect(
      audited(
        auditor,
        {
          eventId: 'incident-open',
          request: {} as any,
          meta: {},
          usage: { recorder: { record }, actor: 'user:default/bob' },
        },
        async () => {
          throw error;
        },
        () => ({}),
      ),
    ).rejects.toBe(error);

    expect(fail).toHaveBeenCalledWith({ error });
    expect(record).toHaveBeenCalledWith({
      action: 'incident-open',
      outcome: 'failed',
      actor: 'user:default/bob',
      durationMs: expect.any(Number),
    });
  });

  it('records what errorFacts says of a failure, over the usage facts', async () => {
    const { auditor, record } = setup();

    await expect(
      audited(
        auditor,
        {
          eventId: 'runbook-run',
          request: {} as any,
          meta: {},
          usage: {
            recorder: { record },
            actor: 'user:default/bob',
            facts: {
              subject: 'template:default/restart',
              attributes: { a: 1 },
            },
            errorFacts: error => ({
              attributes: { error: (error as Error).name },
            }),
          },
        },
        async () => {
          throw new TypeError('no');
        },
      ),
    ).rejects.toThrow('no');

    expect(record).toHaveBeenCalledWith({
      action: 'runbook-run',
      outcome: 'failed',
      actor: 'user:default/bob',
      durationMs: expect.any(Number),
      subject: 'template:default/restart',
      attributes: { error: 'TypeError' },
    });
  });

  it('audits at the given severity, and without result meta when none is asked for', async () => {
    const { auditor, success } = setup();

    await audited(
      auditor,
      {
        eventId: 'events-ingest',
        request: {} as any,
        meta: { events: 3 },
        severityLevel: 'low',
      },
      async () => 1,
    );

    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'events-ingest',
      severityLevel: 'low',
      request: {},
      meta: { events: 3 },
    });
    expect(success).toHaveBeenCalledWith(undefined);
  });

  it('records no usage without a recorder', async () => {
    const { auditor, success } = setup();

    await audited(
      auditor,
      { eventId: 'x', request: {} as any, meta: {} },
      async () => 1,
      () => ({}),
    );

    expect(success).toHaveBeenCalled();
  });
});
