import { usageEventSchema } from './usageEvents';

describe('usageEventSchema', () => {
  const event = {
    plugin: 'provisioning',
    action: 'request-create',
    subject: 'postgres',
    actor: 'user:default/alice',
    team: 'group:default/payments-team',
    outcome: 'succeeded',
    occurredAt: '2026-11-26T03:00:00.000Z',
  };

  it('accepts an event a plugin records', () => {
    expect(usageEventSchema.parse(event)).toEqual(event);
  });

  it('refuses unknown fields and bad outcomes, naming them', () => {
    const result = usageEventSchema.safeParse({
      ...event,
      outcome: 'maybe',
      password: 'x',
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map(issue => issue.path.join('.'));
    expect(paths).toContain('outcome');
    expect(result.error!.issues.some(i => i.code === 'unrecognized_keys')).toBe(
      true,
    );
  });
});
