import { aRequest } from '../__testUtils__/fakeProvisioningApi';
import { withUpdate } from './usePolledRequest';

describe('withUpdate', () => {
  const read = aRequest({
    updatedAt: '2026-11-20T10:05:00.000Z',
    expiresAt: '2026-11-21T10:00:00.000Z',
    timeline: [
      {
        id: 1,
        requestId: 'r1',
        type: 'requested',
        message: 'requested',
        createdAt: '2026-11-20T10:00:00.000Z',
      },
    ],
  });

  it('keeps the later expiry recorded activity returned for the same version', () => {
    const { timeline, operations, ...activity } = {
      ...read,
      expiresAt: '2026-11-22T10:00:00.000Z',
    };
    expect(withUpdate(read, activity)).toEqual({
      ...read,
      expiresAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('takes a newer version over an older read, keeping the timeline', () => {
    const { timeline, operations, ...extended } = {
      ...read,
      updatedAt: '2026-11-20T11:00:00.000Z',
      expiresAt: '2026-11-20T20:00:00.000Z',
    };
    const result = withUpdate(read, extended);
    expect(result.expiresAt).toBe('2026-11-20T20:00:00.000Z');
    expect(result.timeline).toHaveLength(1);
  });

  it('leaves a read alone that is as new as the update or newer', () => {
    expect(withUpdate(read, undefined)).toBe(read);
    expect(
      withUpdate(read, { ...read, expiresAt: '2026-11-20T12:00:00.000Z' }),
    ).toBe(read);
    expect(
      withUpdate(read, {
        ...read,
        updatedAt: '2026-11-20T09:00:00.000Z',
        state: 'provisioning',
      }),
    ).toBe(read);
    expect(withUpdate(read, { ...read, id: 'other' })).toBe(read);
  });
});
