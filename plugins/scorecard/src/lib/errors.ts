import { ResponseError } from '@backstage/errors';

/** The HTTP status of an error from the client, if it was an HTTP answer. */
export const statusOf = (error: unknown): number | undefined =>
  error instanceof ResponseError
    ? error.statusCode
    : (error as { statusCode?: number; response?: { status?: number } })
        ?.statusCode ??
      (error as { response?: { status?: number } })?.response?.status;
