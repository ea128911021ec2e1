import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';

/** Another plugin's answer, or why there is none (for a `warnings` entry). */
export type PluginRead<T> =
  | { ok: true; body: T }
  | { ok: false; problem: string };

/** Long enough for a busy plugin, short enough that an agent is not left waiting. */
const TIMEOUT_MS = 5000;

function statusMeaning(status: number) {
  if (status === 404) return 'not installed or not found';
  if (status === 401 || status === 403) return 'not allowed for this user';
  return 'failed';
}

/**
 * GET from another plugin's REST API on behalf of the caller, so that plugin's own
 * permission rules decide what comes back (as when the user's browser asks). Never
 * throws: the caller turns a failure into a warning rather than failing its answer.
 */
export async function readPluginJson<T>(
  deps: { auth: AuthService; discovery: DiscoveryService },
  credentials: BackstageCredentials,
  pluginId: string,
  path: string,
): Promise<PluginRead<T>> {
  try {
    const [base, { token }] = await Promise.all([
      deps.discovery.getBaseUrl(pluginId),
      deps.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: pluginId,
      }),
    ]);
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) {
      return {
        ok: false,
        problem: `HTTP ${res.status} (${statusMeaning(res.status)})`,
      };
    }
    return { ok: true, body: (await res.json()) as T };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000}s`
        : e.cause?.code ?? e.message;
    return { ok: false, problem: `unreachable (${why})` };
  }
}
