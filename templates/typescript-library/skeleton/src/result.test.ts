import { describe, expect, it } from 'vitest';
import { andThen, err, fromPromise, map, mapErr, ok, type Result, toError, unwrap, unwrapOr } from './index.js';

const parsePort = (text: string): Result<number, string> => {
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port < 65536 ? ok(port) : err(`not a port: ${text}`);
};

describe('Result', () => {
  it('transforms values and passes errors through', () => {
    expect(map(ok(2), (n) => n * 10)).toEqual(ok(20));
    expect(map(err('boom'), (n: number) => n * 10)).toEqual(err('boom'));
    expect(mapErr(err('boom'), (e) => new Error(e))).toEqual(err(new Error('boom')));
    expect(mapErr(ok(1), (e: string) => new Error(e))).toEqual(ok(1));
  });

  it('chains steps that can fail, stopping at the first error', () => {
    const double = (n: number): Result<number, string> => ok(n * 2);
    expect(andThen(parsePort('8080'), double)).toEqual(ok(16160));
    expect(andThen(parsePort('http'), double)).toEqual(err('not a port: http'));
  });

  it('unwraps to the value, a fallback, or the thrown error', () => {
    expect(unwrapOr(parsePort('443'), 80)).toBe(443);
    expect(unwrapOr(parsePort('-1'), 80)).toBe(80);
    expect(unwrap(parsePort('443'))).toBe(443);
    expect(() => unwrap(parsePort('x'))).toThrow(new Error('not a port: x'));
  });

  it('captures a rejected promise as an Err holding an Error', async () => {
    await expect(fromPromise(async () => 'fine')).resolves.toEqual(ok('fine'));

    const failure = new Error('connection refused');
    await expect(fromPromise(() => Promise.reject(failure))).resolves.toEqual(err(failure));

    const result = await fromPromise(() => Promise.reject({ code: 42 }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(Error);
      expect(result.error.message).toBe('Non-error thrown: {"code":42}');
      expect(result.error.cause).toEqual({ code: 42 });
    }
  });

  it('toError keeps Errors as they are', () => {
    const original = new TypeError('bad');
    expect(toError(original)).toBe(original);
    expect(toError('plain message').message).toBe('plain message');
  });
});
