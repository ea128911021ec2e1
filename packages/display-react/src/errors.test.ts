import { ResponseError } from '@backstage/errors';
import { errorResponse } from '@paved/openapi-client-utils/testUtils';
import { messageOf, statusOf } from './errors';

const responseError = (status: number, message: string) =>
  ResponseError.fromResponse(
    errorResponse(status, { name: 'ConflictError', message }),
  );

describe('messageOf', () => {
  it("is the server's message of a failed call", async () => {
    const error = await responseError(409, "name: 'orders-db' is taken");
    expect(error.message).toMatch(/409/);
    expect(messageOf(error)).toBe("name: 'orders-db' is taken");
  });

  it('is the own message of any other error', () => {
    expect(messageOf(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  });
});

describe('statusOf', () => {
  it('is the status of a failed call', async () => {
    expect(statusOf(await responseError(404, 'no such entity'))).toBe(404);
  });

  it('reads the status other HTTP clients put on their errors', () => {
    expect(statusOf(Object.assign(new Error('x'), { statusCode: 403 }))).toBe(
      403,
    );
    expect(statusOf({ response: { status: 502 } })).toBe(502);
  });

  it('is undefined for an error that was no HTTP answer', () => {
    expect(statusOf(new Error('offline'))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });
});
