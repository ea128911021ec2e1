import { ResponseError } from '@backstage/errors';

/** The body of a successful response; a ResponseError (with the API's message) otherwise. */
export async function json<T>(pending: Promise<Response>): Promise<T> {
  const response = await pending;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return (await response.json()) as T;
}
