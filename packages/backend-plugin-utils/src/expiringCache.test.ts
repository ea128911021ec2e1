import { ExpiringCache } from './expiringCache';

describe('ExpiringCache', () => {
  let clock = 0;
  const cache = (maxEntries?: number) =>
    new ExpiringCache<string, number>({
      ttlMs: 1000,
      maxEntries,
      now: () => clock,
    });
  beforeEach(() => {
    clock = 0;
  });

  it('loads once for every call while fresh, including calls during the load, and again once expired', async () => {
    const c = cache();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const load = async () => {
      loads++;
      await gate;
      return loads;
    };
    const first = c.get('a', load);
    const second = c.get('a', load);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    clock = 999;
    expect(await c.get('a', load)).toBe(1);
    clock = 1000;
    expect(await c.get('a', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('keeps keys apart, forgets on clear, and drops the oldest beyond maxEntries', async () => {
    const c = cache(2);
    let loads = 0;
    const load = async () => ++loads;
    expect(await c.get('a', load)).toBe(1);
    expect(await c.get('b', load)).toBe(2);
    expect(await c.get('a', load)).toBe(1);
    expect(await c.get('c', load)).toBe(3);
    // 'a' was the oldest entry of three: loaded again.
    expect(await c.get('a', load)).toBe(4);
    c.clear();
    expect(await c.get('c', load)).toBe(5);
  });

  it('does not keep a failed load', async () => {
    const c = cache();
    await expect(
      c.get('a', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await c.get('a', async () => 7)).toBe(7);
  });

  it('refuses a ttl that is not positive', () => {
    expect(() => new ExpiringCache({ ttlMs: 0 })).toThrow(
      'ExpiringCache ttlMs must be positive, got 0',
    );
  });
});
