import {
  createPrivateKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import oidcModule from '@backstage/plugin-auth-backend-module-oidc-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  LOCAL_PASSWORD,
  LocalIdentityProvider,
  readSampleAccounts,
  startLocalIdentityProvider,
} from '@paved/local-idp';
import { CookieBrowser, waitFor } from '@paved/test-utils';

/*
 * Sign-in through the backend's OIDC auth module against a real OpenID Connect
 * provider (@paved/local-idp, built on oidc-provider), over HTTP, the way a browser
 * goes: the portal's /start, the provider's login form, the portal's callback. The
 * catalog is the real catalog plugin loaded with the sample organisation's people.
 *
 * The ID token travels from the provider's token endpoint to the backend, out of a
 * browser's reach. To show that a forged, expired or misaddressed one is refused, the
 * backend reaches the token endpoint and the key set through a proxy of this test that
 * passes everything through, or re-signs the provider's real ID token with one thing
 * changed (see TokenProxy).
 */

const ROOT = path.resolve(__dirname, '../../..');
const APP_ORIGIN = 'http://localhost:3000';
const CLIENT_ID = 'paved-portal';
const CLIENT_SECRET = randomBytes(32).toString('hex');
/** Lets the test read the catalog (backend.auth.externalAccess). */
const CATALOG_READER_TOKEN = randomBytes(24).toString('hex');

/** Someone the provider knows but the catalog does not. */
const STRANGER = {
  username: 'mallory',
  email: 'mallory@elsewhere.example',
  name: 'Mallory Stranger',
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const base64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

type TokenMode =
  | { kind: 'pass' }
  /** The provider's token with a claim changed and its signature kept. */
  | { kind: 'tampered'; claims: Record<string, unknown> }
  /** Claims changed and signed with a key that the served key set trusts. */
  | { kind: 'resigned'; claims: Record<string, unknown> }
  /** Signed with a key that nobody published. */
  | { kind: 'unknown-key' };

/**
 * Between the backend and the provider's back channel (discovery, token endpoint, key
 * set). It publishes one extra key of its own beside the provider's keys, so that a
 * token it re-signs with one claim changed fails on that claim alone, not on the
 * signature: it isolates the expiry and audience checks of the OIDC module.
 */
class TokenProxy {
  mode: TokenMode = { kind: 'pass' };
  private server?: Server;
  private readonly trustedKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  private readonly unknownKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  url = '';

  constructor(private readonly issuer: string) {}

  async start() {
    this.server = createServer((req, res) => {
      this.handle(req.url ?? '/', req.method ?? 'GET', req)
        .then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        })
        .catch(error => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise(resolve => this.server?.close(resolve));
  }

  private async handle(
    url: string,
    method: string,
    req: AsyncIterable<Buffer> & { headers: Record<string, unknown> },
  ) {
    const json = (body: unknown) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (url === '/.well-known/openid-configuration') {
      const metadata = await (await fetch(`${this.issuer}${url}`)).json();
      this.tokenEndpoint = metadata.token_endpoint;
      this.jwksUri = metadata.jwks_uri;
      return json({
        ...metadata,
        token_endpoint: `${this.url}/token`,
        jwks_uri: `${this.url}/jwks`,
      });
    }
    if (url === '/jwks') {
      const { keys } = await (await fetch(this.jwksUri)).json();
      const trusted = {
        ...this.trustedKey.publicKey.export({ format: 'jwk' }),
        kid: 'test-proxy',
        alg: 'RS256',
        use: 'sig',
      };
      return json({ keys: [...keys, trusted] });
    }
    if (url === '/token' && method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk);
      const response = await fetch(this.tokenEndpoint, {
        method: 'POST',
        headers: {
          'content-type': String(req.headers['content-type']),
          authorization: String(req.headers.authorization),
        },
        body: Buffer.concat(chunks),
      });
      const body = await response.json();
      if (response.ok && body.id_token) {
        body.id_token = this.rewrite(body.id_token);
      }
      return {
        status: response.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
    }
    return { status: 404, headers: {}, body: 'not found' };
  }

  private tokenEndpoint = '';
  private jwksUri = '';

  private rewrite(idToken: string): string {
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const mode = this.mode;
    if (mode.kind === 'pass') return idToken;
    if (mode.kind === 'tampered') {
      return `${header}.${base64url(
        JSON.stringify({ ...claims, ...mode.claims }),
      )}.${signature}`;
    }
    const [key, kid] =
      mode.kind === 'resigned'
        ? [this.trustedKey.privateKey, 'test-proxy']
        : [this.unknownKey.privateKey, 'nobody-published-this'];
    const changed = mode.kind === 'resigned' ? mode.claims : {};
    return signJwt({ ...claims, ...changed }, key, kid);
  }
}

function signJwt(
  claims: Record<string, unknown>,
  privateKey: KeyObject,
  kid: string,
): string {
  const input = `${base64url(
    JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }),
  )}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
  });
  return `${input}.${base64url(signature)}`;
}

/** The message the portal's callback page posts to the app window. */
function authorizationResponse(html: string) {
  const match = html.match(/var authResponse = decodeURIComponent\('(.*?)'\)/);
  if (!match) throw new Error(`not an authorization response page: ${html}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

function tokenClaims(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe('OIDC sign-in against a real OpenID Connect provider', () => {
  let idp: LocalIdentityProvider;
  let proxy: TokenProxy;
  let backendUrl: string;
  let backend: ReturnType<typeof createBackend>;

  beforeAll(async () => {
    // The provider must know the portal's callback URL before the backend starts (the
    // OIDC module fetches the provider's metadata at start), so the port comes first.
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    idp = await startLocalIdentityProvider({
      port: 0,
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${backendUrl}/api/auth/oidc/handler/frame`],
        },
      ],
      accounts: [
        ...readSampleAccounts(path.join(ROOT, 'examples/org/org')),
        STRANGER,
      ],
    });
    proxy = new TokenProxy(idp.issuer);
    await proxy.start();

    backend = createBackend();
    for (const feature of [
      authPlugin,
      oidcModule,
      catalogPlugin,
      // The real backend defaults (HTTP server, database, auth), not the test
      // backend's: that one listens on a random port, and the port must be known
      // before the backend starts (see above).
      mockServices.rootLogger.factory({ level: 'warn' }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP_ORIGIN },
          backend: {
            baseUrl: backendUrl,
            listen: { host: '127.0.0.1', port },
            database: { client: 'better-sqlite3', connection: ':memory:' },
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: CATALOG_READER_TOKEN, subject: 'test' },
                },
              ],
            },
          },
          auth: {
            environment: 'development',
            // The OIDC module (openid-client's passport strategy) keeps the
            // sign-in's state in a server-side session, which needs this secret.
            session: { secret: randomBytes(24).toString('hex') },
            providers: {
              oidc: {
                development: {
                  metadataUrl: `${proxy.url}/.well-known/openid-configuration`,
                  clientId: CLIENT_ID,
                  clientSecret: CLIENT_SECRET,
                  prompt: 'login',
                  signIn: {
                    resolvers: [
                      { resolver: 'emailMatchingUserEntityProfileEmail' },
                    ],
                  },
                },
              },
            },
          },
          catalog: {
            rules: [{ allow: ['User', 'Group', 'Location'] }],
            locations: [
              {
                type: 'file',
                target: path.join(ROOT, 'examples/org/org/users.yaml'),
              },
              {
                type: 'file',
                target: path.join(ROOT, 'examples/org/org/groups.yaml'),
              },
            ],
            processingInterval: { seconds: 1 },
          },
        },
      }),
    ]) {
      backend.add(feature);
    }
    await backend.start();
    // Sign-in looks bob up in the catalog: wait until the catalog has read him.
    await waitFor(
      'bob and his team in the catalog',
      async () => {
        const response = await fetch(
          `${backendUrl}/api/catalog/entities/by-name/user/default/bob`,
          { headers: { authorization: `Bearer ${CATALOG_READER_TOKEN}` } },
        );
        if (response.status !== 200) return false;
        const entity = await response.json();
        return entity.relations?.length > 0;
      },
      { timeoutMs: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await proxy?.stop();
    await idp?.stop();
  });

  afterEach(() => {
    proxy.mode = { kind: 'pass' };
  });

  /**
   * The flow up to the portal's callback URL: /start, the provider's login form with
   * the given credentials, consent (given by the local provider), and the redirect
   * back. Returns the callback URL, not yet visited.
   */
  async function signInAtProvider(
    browser: CookieBrowser,
    username: string,
    password = LOCAL_PASSWORD,
  ): Promise<string> {
    const start = await browser.request(
      `${backendUrl}/api/auth/oidc/start?${new URLSearchParams({
        env: 'development',
        scope: 'openid profile email',
        origin: APP_ORIGIN,
      })}`,
    );
    expect(start.status).toBe(302);
    let location = start.location!;
    expect(location.startsWith(`${idp.issuer}/`)).toBe(true);
    for (let step = 0; step < 10; step++) {
      if (location.startsWith(`${backendUrl}/api/auth/oidc/handler/frame`)) {
        return location;
      }
      const page = await browser.request(location);
      if (page.status === 200 && page.body.includes('name="password"')) {
        const action = page.body.match(/<form method="post" action="([^"]+)"/);
        const submitted = await browser.request(
          new URL(action![1], location).toString(),
          {
            method: 'POST',
            body: new URLSearchParams({ username, password }),
          },
        );
        if (!submitted.location) {
          throw new Error(`login refused (${submitted.status})`);
        }
        location = submitted.location;
      } else if (page.location) {
        location = page.location;
      } else {
        throw new Error(`unexpected page ${page.status}: ${page.body}`);
      }
    }
    throw new Error('the sign-in did not come back to the portal');
  }

  async function callback(browser: CookieBrowser, url: string) {
    const page = await browser.request(url);
    return authorizationResponse(page.body);
  }

  it('signs bob in through the authorization code flow as user:default/bob', async () => {
    const browser = new CookieBrowser();
    const response = await callback(
      browser,
      await signInAtProvider(browser, 'bob'),
    );
    expect(response.error).toBeUndefined();
    expect(response.response.profile).toMatchObject({
      email: 'bob@acme-retail.example',
      displayName: 'Bob Okafor',
    });
    const { identity, token } = response.response.backstageIdentity;
    expect(identity.userEntityRef).toBe('user:default/bob');
    expect(identity.ownershipEntityRefs).toContain(
      'group:default/payments-team',
    );
    const claims = tokenClaims(token);
    expect(claims.sub).toBe('user:default/bob');
    // The provider's own ID token is handed to the app too, issued for this client.
    expect(tokenClaims(response.response.providerInfo.idToken)).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT_ID,
      sub: 'bob',
    });
  });

  it('refuses a wrong password at the provider, before the portal is involved', async () => {
    await expect(
      signInAtProvider(new CookieBrowser(), 'bob', 'not-the-password'),
    ).rejects.toThrow('login refused (401)');
  });

  it('refuses someone the provider knows but the catalog does not, saying so', async () => {
    const browser = new CookieBrowser();
    const response = await callback(
      browser,
      await signInAtProvider(browser, STRANGER.username),
    );
    expect(response.response).toBeUndefined();
    expect(response.error.message).toBe(
      'Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains the expected User entities that would match your configured sign-in resolver.',
    );
  });

  it('refuses to start a sign-in for another origin or redirect to one', async () => {
    const browser = new CookieBrowser();
    const otherOrigin = await browser.request(
      `${backendUrl}/api/auth/oidc/start?${new URLSearchParams({
        env: 'development',
        origin: 'https://evil.example',
      })}`,
    );
    expect(otherOrigin.status).toBe(403);
    expect(JSON.parse(otherOrigin.body).error.message).toBe(
      "Origin 'https://evil.example' is not allowed",
    );

    const otherRedirect = await browser.request(
      `${backendUrl}/api/auth/oidc/start?${new URLSearchParams({
        env: 'development',
        flow: 'redirect',
        redirectUrl: 'https://evil.example/steal',
      })}`,
    );
    expect(otherRedirect.status).toBe(403);
    expect(JSON.parse(otherRedirect.body).error.message).toBe(
      'Redirect URL is not an allowed origin',
    );
  });

  it('refuses a callback whose state was altered, or that comes without the nonce cookie', async () => {
    const browser = new CookieBrowser();
    const url = new URL(await signInAtProvider(browser, 'bob'));
    // The state is hex-encoded URL parameters (plugin-auth-node's encodeOAuthState).
    const state = Object.fromEntries(
      new URLSearchParams(
        Buffer.from(url.searchParams.get('state')!, 'hex').toString(),
      ),
    );
    const encodeState = (changes: Record<string, string>) =>
      Buffer.from(
        new URLSearchParams({ ...state, ...changes }).toString(),
      ).toString('hex');

    // The state says where the answer goes: a state pointing at another origin.
    const elsewhere = new URL(url);
    elsewhere.searchParams.set(
      'state',
      encodeState({ origin: 'https://evil.example' }),
    );
    expect((await callback(browser, elsewhere.toString())).error.message).toBe(
      "Origin 'https://evil.example' is not allowed",
    );

    // Another sign-in's nonce: the state was not issued to this browser.
    const otherNonce = new URL(url);
    otherNonce.searchParams.set(
      'state',
      encodeState({ nonce: randomBytes(16).toString('base64') }),
    );
    expect((await callback(browser, otherNonce.toString())).error.message).toBe(
      'Invalid nonce',
    );

    // A callback URL replayed from another browser (no nonce cookie).
    expect(
      (await callback(new CookieBrowser(), url.toString())).error.message,
    ).toBe('Auth response is missing cookie nonce');
  });

  it('refuses an authorization code that the provider did not issue, or one used already', async () => {
    const browser = new CookieBrowser();
    const url = await signInAtProvider(browser, 'bob');
    const first = await callback(browser, url);
    expect(first.response.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/bob',
    );
    const replay = await callback(browser, url);
    expect(replay.response).toBeUndefined();
    // The sign-in's server-side session was used up by the first callback.
    expect(replay.error.message).toMatch(
      /did not find expected authorization request details in session/,
    );

    const other = new CookieBrowser();
    const forgedCode = new URL(await signInAtProvider(other, 'bob'));
    forgedCode.searchParams.set('code', randomBytes(32).toString('base64url'));
    const forged = await callback(other, forgedCode.toString());
    expect(forged.response).toBeUndefined();
    // The provider's token endpoint refuses a code it never issued.
    expect(forged.error.message).toBe(
      'Authentication failed, invalid_grant (grant request is invalid)',
    );
  });

  describe('ID tokens (through the back channel proxy)', () => {
    async function signInWithToken(mode: TokenMode) {
      proxy.mode = mode;
      const browser = new CookieBrowser();
      return callback(browser, await signInAtProvider(browser, 'bob'));
    }

    it('accepts the provider token re-signed unchanged by the trusted test key (control)', async () => {
      // Shows that the refusals below come from the claim changed, not the key.
      const response = await signInWithToken({ kind: 'resigned', claims: {} });
      expect(response.error).toBeUndefined();
      expect(response.response.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/bob',
      );
    });

    it('refuses an ID token whose claims were changed after signing', async () => {
      const response = await signInWithToken({
        kind: 'tampered',
        claims: { sub: 'alice', email: 'alice@acme-retail.example' },
      });
      expect(response.response).toBeUndefined();
      expect(response.error.message).toMatch(
        /failed to validate JWT signature/,
      );
    });

    it('refuses an ID token signed with a key the provider never published', async () => {
      const response = await signInWithToken({ kind: 'unknown-key' });
      expect(response.response).toBeUndefined();
      expect(response.error.message).toMatch(
        /no valid key found in issuer's jwks_uri/,
      );
    });

    it('refuses an expired ID token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const response = await signInWithToken({
        kind: 'resigned',
        claims: { iat: now - 7200, exp: now - 3600 },
      });
      expect(response.response).toBeUndefined();
      expect(response.error.message).toMatch(/JWT expired/);
    });

    it('refuses an ID token issued for another client', async () => {
      const response = await signInWithToken({
        kind: 'resigned',
        claims: { aud: 'another-client' },
      });
      expect(response.response).toBeUndefined();
      expect(response.error.message).toMatch(
        /aud mismatch, expected paved-portal, got: another-client/,
      );
    });

    it('refuses an ID token from another issuer', async () => {
      const response = await signInWithToken({
        kind: 'resigned',
        claims: { iss: 'https://idp.evil.example' },
      });
      expect(response.response).toBeUndefined();
      expect(response.error.message).toMatch(/unexpected iss value/);
    });
  });
});
