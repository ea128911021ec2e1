import { ApiException } from '@kubernetes/client-node';

/**
 * The HTTP status and the API server's message of a client-node error, for
 * messages that never carry a request body (Secrets' data stays out of them).
 *
 * @public
 */
export function statusOf(error: unknown): { code?: number; message: string } {
  if (error instanceof ApiException) {
    let body: { message?: string } | undefined;
    try {
      body =
        typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    } catch {
      body = undefined;
    }
    return {
      code: error.code,
      message: body?.message ?? `HTTP ${error.code}`,
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * client-node's errors when the API server does not serve a kind at all: an
 * unknown kind in a known group, or a group it does not know (a missing CRD).
 *
 * @public
 */
export function isMissingKind(error: unknown): boolean {
  return /Unrecognized API version and kind|Failed to fetch resource metadata for .* 404|could not find the requested resource/is.test(
    String((error as Error)?.message ?? error),
  );
}
