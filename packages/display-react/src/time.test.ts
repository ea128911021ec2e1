import { absoluteTime, formatDuration, relativeTime } from './time';

describe('relativeTime', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it.each([
    ['2026-11-26T11:57:00Z', '3 minutes ago'],
    ['2026-11-26T12:00:10Z', 'in 10 seconds'],
    ['2026-11-26T12:00:00Z', 'now'],
    ['2026-11-26T09:00:00Z', '3 hours ago'],
    ['2026-11-25T12:00:00Z', 'yesterday'],
    ['2026-11-21T12:00:00Z', '5 days ago'],
  ])('says %s as "%s"', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});

describe('absoluteTime', () => {
  it('shows the same instant in the local time zone', () => {
    const iso = '2026-11-26T12:00:00Z';
    expect(absoluteTime(iso)).toBe(new Date(iso).toLocaleString());
  });
});

describe('formatDuration', () => {
  it.each([
    [400, '0s'],
    [42_000, '42s'],
    [185_000, '3m 5s'],
    [7_800_000, '2h 10m'],
    [(3 * 24 + 4) * 3_600_000, '3d 4h'],
  ])('shows %i ms as "%s"', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
