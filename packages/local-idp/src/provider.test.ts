import { createRemoteJWKSet, jwtVerify } from 'jose';
import { LOCAL_PASSWORD, LocalAccount } from './accounts';
import { LocalIdentityProvider, startLocalIdentityProvider } from './provider';

const CLIENT_ID = 'paved-portal';
const CLIENT_SECRET = 'test-secret-0123456789abcdef';
const REDIRECT_URI = 'http://localhost:7007/api/auth/oidc/handler/frame';
const accounts: LocalAccount[] = [
  { username: 'bob', email: 'bob@acme-retail.example', name: 'Bob Okafor' },
  { username: 'alice', email: 'alice@acme-retail.example', name: 'Alice N' },
];

/** Follows the flow by hand, as a browser would, keeping the provider's cookies. */
class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      );
    }
    const res = await fetch(new URL(url, this.base), {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const expired = attributes.some(a => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1));
    }
    return res;
  }

  /** Follows redirects within the provider; returns the last response and the paths seen. */
  async follow(url: string, init?: RequestInit) {
    const seen: string[] = [];
    let res = await this.request(url, init);
    while (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location')!, this.base);
      if (location.origin !== new URL(this.base).origin) {
        return { res, seen, redirect: location };
      }
      seen.push(location.pathname);
      res = await this.request(location.href);
    }
    return { res, seen, redirect: undefined };
  }
}

function authorizeUrl(
  issuer: string,
  params: Record<string, string> = {},
): string {
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'state-123',
    nonce: 'nonce-456',
    prompt: 'login',
    ...params,
  }).toString();
  return url.href;
}

function loginForm(html: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form in: ${html}`);
  return action;
}

function basic(id: string, secret: string) {
  return `Basic ${Buffer.from(
    `${encodeURIComponent(id)}:${encodeURIComponent(secret)}`,
  ).toString('base64')}`;
}

describe('startLocalIdentityProvider', () => {
  let idp: LocalIdentityProvider;
  const errors: string[] = [];

  beforeAll(async () => {
    idp = await startLocalIdentityProvider({
      port: 0,
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [REDIRECT_URI],
        },
      ],
      accounts,
      logError: message => errors.push(message),
    });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  /** Signs in through the form; returns the code the portal would receive. */
  async function signIn(username: string, password = LOCAL_PASSWORD) {
    const browser = new Browser(idp.issuer);
    const form = await browser.follow(authorizeUrl(idp.issuer));
    expect(form.res.status).toBe(200);
    const html = await form.res.text();
    const submitted = await browser.follow(loginForm(html), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    return { form, html, submitted };
  }

  async function token(code: string, secret = CLIENT_SECRET) {
    return fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic(CLIENT_ID, secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
      }).toString(),
    });
  }

  it('publishes a discovery document for the code flow', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const metadata = await res.json();
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      userinfo_endpoint: `${idp.issuer}/me`,
      jwks_uri: `${idp.issuer}/jwks`,
      response_types_supported: ['code'],
      id_token_signing_alg_values_supported: expect.arrayContaining(['RS256']),
    });
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining([
        'sub',
        'email',
        'email_verified',
        'name',
        'preferred_username',
      ]),
    );
  });

  it('signs bob in: form, consent, code, tokens, a signed ID token with his claims', async () => {
    const { form, html, submitted } = await signIn('bob');
    expect(form.seen).toEqual([expect.stringMatching(/^\/interaction\//)]);
    expect(html).toContain('Sign in to Paved');
    // After the form: back to the authorization, to consent (given on bob's behalf),
    // back again, then to the portal.
    expect(submitted.seen).toEqual([
      expect.stringMatching(/^\/auth\//),
      expect.stringMatching(/^\/interaction\//),
      expect.stringMatching(/^\/auth\//),
    ]);
    expect(submitted.seen[1]).not.toBe(form.seen[0]);
    const redirect = submitted.redirect!;
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('state-123');
    expect(redirect.searchParams.get('iss')).toBe(idp.issuer);
    const code = redirect.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const res = await token(code);
    expect(res.status).toBe(200);
    const tokens = await res.json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });

    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token,
      jwks,
      { issuer: idp.issuer, audience: CLIENT_ID },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'bob',
      email: 'bob@acme-retail.example',
      email_verified: true,
      name: 'Bob Okafor',
      preferred_username: 'bob',
      nonce: 'nonce-456',
    });

    // The portal's OIDC module reads the profile from the userinfo endpoint.
    const userinfo = await fetch(`${idp.issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toEqual({
      sub: 'bob',
      email: 'bob@acme-retail.example',
      email_verified: true,
      name: 'Bob Okafor',
      preferred_username: 'bob',
    });

    // A code works once.
    const again = await token(code);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
  });

  it('refuses a wrong password with a message, and issues no code', async () => {
    const { submitted } = await signIn('bob', 'guess');
    expect(submitted.res.status).toBe(401);
    expect(submitted.redirect).toBeUndefined();
    const html = await submitted.res.text();
    expect(html).toContain('Wrong password.');
    // The form comes back filled in, ready for another try.
    expect(html).toContain('value="bob"');
    expect(loginForm(html)).toMatch(/^\/interaction\/[^/]+\/login$/);
  });

  it('refuses an unknown username with a message that names it, escaped', async () => {
    const { submitted } = await signIn('<script>mallory</script>');
    expect(submitted.res.status).toBe(401);
    const html = await submitted.res.text();
    expect(html).toContain(
      'No local account is called &#39;&lt;script&gt;mallory&lt;/script&gt;&#39;.',
    );
    expect(html).not.toContain('<script>');
  });

  it('refuses a redirect_uri that the client did not register', async () => {
    const browser = new Browser(idp.issuer);
    const res = await browser.request(
      authorizeUrl(idp.issuer, { redirect_uri: 'http://evil.example/cb' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const body = await res.text();
    expect(body).toContain('Sign-in refused');
    expect(body).toContain(
      'redirect_uri did not match any of the client&#39;s registered redirect_uris',
    );
    expect(body).toContain('invalid_redirect_uri');
  });

  it('refuses an unknown client', async () => {
    const res = await new Browser(idp.issuer).request(
      authorizeUrl(idp.issuer, { client_id: 'someone-else' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('client is invalid');
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const { submitted } = await signIn('alice');
    const code = submitted.redirect!.searchParams.get('code')!;
    const refused = await token(code, 'not-the-secret-at-all');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    // The refusal did not spend the code: the portal's own request still works.
    const res = await token(code);
    expect(res.status).toBe(200);
  });

  it('logged no server errors in the tests above', () => {
    expect(errors).toEqual([]);
  });

  it('refuses bad options with a message', async () => {
    const client = {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [REDIRECT_URI],
    };
    await expect(
      startLocalIdentityProvider({
        port: 0,
        clients: [{ ...client, clientSecret: 'short' }],
        accounts,
      }),
    ).rejects.toThrow(
      "client 'paved-portal' needs a clientSecret of at least 16 characters",
    );
    await expect(
      startLocalIdentityProvider({
        port: 0,
        clients: [{ ...client, redirectUris: ['ftp://127.0.0.1/cb'] }],
        accounts,
      }),
    ).rejects.toThrow('is not http(s)');
    await expect(
      startLocalIdentityProvider({ port: 0, clients: [client], accounts: [] }),
    ).rejects.toThrow('needs at least one account');
  });
});
