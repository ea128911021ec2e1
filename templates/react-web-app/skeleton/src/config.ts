export interface AppConfig {
  /** Base URL of the HTTP API, without a trailing slash. */
  apiBaseUrl: string;
  /** Where apiBaseUrl came from, shown on the page to make misconfiguration easy to spot. */
  source: 'config.json' | 'VITE_API_BASE_URL' | 'default';
}

/** Used when /config.json is missing or invalid and VITE_API_BASE_URL is unset. */
export const DEFAULT_API_BASE_URL = '/api';

export const CONFIG_PATH = '/config.json';

/** The build-time variables loadConfig reads (Vite's import.meta.env). */
export interface BuildEnv {
  VITE_API_BASE_URL?: string;
}

/**
 * Loads the runtime configuration.
 *
 * The API base URL is read from /config.json when the page loads rather than baked
 * into the bundle, so one image runs in every environment: Kubernetes mounts a
 * per-environment config.json over the default one from public/. When the file is
 * missing or invalid, VITE_API_BASE_URL (set at build time, e.g. in .env.local) is
 * used, then DEFAULT_API_BASE_URL.
 */
export async function loadConfig(
  fetchFn: typeof fetch = (...args) => fetch(...args),
  env: BuildEnv = import.meta.env,
): Promise<AppConfig> {
  const fromFile = await readConfigFile(fetchFn);
  if (fromFile) return { apiBaseUrl: fromFile, source: 'config.json' };
  if (env.VITE_API_BASE_URL?.trim()) {
    return { apiBaseUrl: withoutTrailingSlash(env.VITE_API_BASE_URL.trim()), source: 'VITE_API_BASE_URL' };
  }
  return { apiBaseUrl: DEFAULT_API_BASE_URL, source: 'default' };
}

async function readConfigFile(fetchFn: typeof fetch): Promise<string | undefined> {
  try {
    // no-store: a stale config.json would point the app at the wrong API after a change.
    const res = await fetchFn(CONFIG_PATH, { cache: 'no-store' });
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    if (typeof body === 'object' && body !== null && 'apiBaseUrl' in body) {
      const { apiBaseUrl } = body;
      if (typeof apiBaseUrl === 'string' && apiBaseUrl.trim() !== '') {
        return withoutTrailingSlash(apiBaseUrl.trim());
      }
    }
    console.warn(`${CONFIG_PATH} has no "apiBaseUrl" string; using the fallback`);
    return undefined;
  } catch (err) {
    // Not served (e.g. `vite preview` without public/config.json) or not JSON.
    console.warn(`could not read ${CONFIG_PATH}; using the fallback`, err);
    return undefined;
  }
}

function withoutTrailingSlash(url: string): string {
  return url.length > 1 ? url.replace(/\/+$/, '') : url;
}
