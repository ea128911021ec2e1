/**
 * Follows a sign-in the way a browser goes, one request at a time (redirects are the
 * caller's to follow), keeping cookies per host as a browser does: cookies ignore the
 * port, so the provider and the backend on one loopback host share a jar.
 */
export class CookieBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  async request(
    url: string,
    init: { method?: string; body?: URLSearchParams } = {},
  ) {
    const { hostname } = new URL(url);
    const jar = this.jars.get(hostname) ?? new Map<string, string>();
    this.jars.set(hostname, jar);
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.body && {
          'content-type': 'application/x-www-form-urlencoded',
        }),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index), pair.slice(index + 1));
    }
    const location = response.headers.get('location');
    return {
      status: response.status,
      location: location ? new URL(location, url).toString() : undefined,
      body: await response.text(),
    };
  }
}
