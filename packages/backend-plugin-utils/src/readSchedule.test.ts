import { mockServices } from '@backstage/backend-test-utils';
import { readSchedule } from './readSchedule';

const fallback = { frequency: { hours: 1 }, timeout: { minutes: 30 } };

describe('readSchedule', () => {
  it('reads the schedule at the key', () => {
    const config = mockServices.rootConfig({
      data: {
        a: { b: { frequency: 'PT8S', timeout: 'PT1M', initialDelay: 'PT1S' } },
      },
    });
    expect(readSchedule(config, 'a.b', fallback)).toEqual({
      frequency: { seconds: 8 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 1 },
    });
  });

  it('keeps the default without the key or without config', () => {
    expect(
      readSchedule(mockServices.rootConfig({ data: {} }), 'a.b', fallback),
    ).toBe(fallback);
    expect(readSchedule(undefined, 'a.b', fallback)).toBe(fallback);
  });

  it('names the key of a schedule it cannot read', () => {
    const config = mockServices.rootConfig({
      data: { a: { b: { frequency: 'often' } } },
    });
    expect(() => readSchedule(config, 'a.b', fallback)).toThrow(
      /a\.b|often|frequency/,
    );
  });
});
