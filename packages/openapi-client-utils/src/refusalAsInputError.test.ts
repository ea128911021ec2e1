import { InputError, ResponseError } from '@backstage/errors';
import { refusalAsInputError } from './refusalAsInputError';
import { errorResponse } from './testUtils';

const failure = (status: number, message: string) =>
  ResponseError.fromResponse(errorResponse(status, { name: 'Error', message }));

describe('refusalAsInputError', () => {
  it.each([400, 403, 404, 409])(
    "turns a %i into an InputError with the API's message",
    async status => {
      const error = refusalAsInputError(
        await failure(status, 'sizeGb: too big'),
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe('sizeGb: too big');
    },
  );

  it('leaves server errors and other errors as they are', async () => {
    const serverError = await failure(503, 'database down');
    expect(refusalAsInputError(serverError)).toBe(serverError);
    const networkError = new TypeError('fetch failed');
    expect(refusalAsInputError(networkError)).toBe(networkError);
  });
});
