import { ResponseError } from '@backstage/errors';
import { responseBody } from './responseBody';
import { errorResponse, jsonResponse } from './testUtils';

describe('responseBody', () => {
  it('answers the body of a successful response', async () => {
    await expect(
      responseBody<{ id: string }>(
        Promise.resolve(jsonResponse({ id: 'r1' }, 201)),
      ),
    ).resolves.toEqual({ id: 'r1' });
  });

  it("rejects with a ResponseError carrying the status and the server's error", async () => {
    const error = await responseBody<never>(
      errorResponse(400, { name: 'InputError', message: 'name is too long' }),
    ).catch((e: ResponseError) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.name).toBe('InputError');
    expect(error.cause.message).toBe('name is too long');
  });

  it('rejects with a ResponseError naming the status when the body is not an error', async () => {
    const error = await responseBody<never>(
      new Response('upstream down', { status: 502, statusText: 'Bad Gateway' }),
    ).catch((e: ResponseError) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toMatch(/502/);
  });
});
