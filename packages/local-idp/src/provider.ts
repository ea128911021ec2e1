import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
// oidc-provider 9 is ESM-only. This static import works in every place the package
// runs: Jest (the Backstage CLI's SWC transform turns node_modules ESM into CommonJS),
// and the CommonJS that `backstage-cli package build` and its node transform emit
// (Node 22.12+ can require() an ES module that has no top-level await, which
// oidc-provider has none of). A dynamic import() would not: Jest refuses it without
// --experimental-vm-modules, which the Backstage CLI does not pass.
import Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { LOCAL_PASSWORD, LocalAccount } from './accounts';
import { errorPage, loginPage } from './views';

/** A relying party allowed to use the local identity provider. */
export interface LocalClient {
  clientId: string;
  clientSecret: string;
  /** Exact callback URLs; any other redirect_uri is refused. */
  redirectUris: string[];
}

export interface LocalIdentityProviderOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback by default: the provider is for the local portal only. */
  host?: string;
  /** Defaults to http://<host>:<port>. */
  issuer?: string;
  clients: LocalClient[];
  accounts: LocalAccount[];
  /** Where unexpected server errors go; never given secrets. */
  logError?: (message: string) => void;
}

export interface LocalIdentityProvider {
  issuer: string;
  stop(): Promise<void>;
}

const MAX_FORM_BYTES = 16 * 1024;

function validateOptions({
  port,
  clients,
  accounts,
}: LocalIdentityProviderOptions) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`port must be a TCP port (or 0 for any), got ${port}`);
  }
  if (clients.length === 0) {
    throw new Error('the local identity provider needs at least one client');
  }
  for (const client of clients) {
    if (!client.clientId) throw new Error('a client has an empty clientId');
    // Short secrets are guessable; ./paved start generates 64 hex characters.
    if (!client.clientSecret || client.clientSecret.length < 16) {
      throw new Error(
        `client '${client.clientId}' needs a clientSecret of at least 16 characters`,
      );
    }
    if (client.redirectUris.length === 0) {
      throw new Error(`client '${client.clientId}' has no redirect URIs`);
    }
    for (const uri of client.redirectUris) {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw new Error(
          `client '${client.clientId}' has a redirect URI that is not a URL: '${uri}'`,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(
          `client '${client.clientId}' has a redirect URI that is not http(s): '${uri}'`,
        );
      }
    }
  }
  if (accounts.length === 0) {
    throw new Error('the local identity provider needs at least one account');
  }
  const names = new Set<string>();
  for (const account of accounts) {
    if (!account.username || !account.email) {
      throw new Error('every account needs a username and an e-mail address');
    }
    if (names.has(account.username)) {
      throw new Error(`account '${account.username}' is given twice`);
    }
    names.add(account.username);
  }
}

/** Compares through digests, so that neither timing nor length says how close a guess is. */
function samePassword(given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(LOCAL_PASSWORD));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(
  res: ServerResponse,
  status: number,
  html: string,
  type = 'text/html; charset=utf-8',
) {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

/**
 * Starts an OpenID Connect provider (oidc-provider, certified) for the local portal.
 * Accounts sign in with a username and the local password; consent is given on their
 * behalf, since every client is the local portal. Signing keys, cookie keys and
 * sessions live in memory: a restart signs everyone out of the provider (the portal's
 * own sessions are not affected until they refresh).
 */
export async function startLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  validateOptions(options);
  const host = options.host ?? '127.0.0.1';
  const logError =
    options.logError ??
    ((message: string) => process.stderr.write(`${message}\n`));
  const accounts = new Map(options.accounts.map(a => [a.username, a]));

  // The provider needs its issuer before it can handle anything, and with port 0 the
  // issuer is only known once the server listens: requests go through this variable.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (
    _req,
    res,
  ) => send(res, 503, 'starting', 'text/plain');
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = options.issuer ?? `http://${host}:${port}`;

  const signingKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: options.clients.map(client => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: account.username,
        async claims() {
          return {
            sub: account.username,
            email: account.email,
            email_verified: true,
            name: account.name,
            preferred_username: account.username,
          };
        },
      };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // The ID token carries the profile and e-mail claims too, not only the userinfo
    // endpoint, so that a relying party may read either.
    conformIdTokenClaims: false,
    // The portal keeps people signed in across page loads with a refresh token; it
    // asks for openid, profile and email but not offline_access.
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    // The authorization code flow only: no tokens in browser URLs.
    responseTypes: ['code'],
    interactions: {
      url: (_ctx: KoaContextWithOIDC, { uid }) => `/interaction/${uid}`,
    },
    // The library's own error page loads a web font; this one says the same offline.
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    features: {
      devInteractions: { enabled: false },
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: {
      keys: [{ ...signingKey, kid: randomUUID(), alg: 'RS256', use: 'sig' }],
    },
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: 14 * 24 * 60 * 60,
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (_ctx: unknown, error: Error) =>
    logError(`local-idp: server error: ${error.message}`),
  );
  const providerCallback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const details = await provider.interactionDetails(req, res);
    const { uid, prompt, params } = details;
    if (
      `/interaction/${uid}` !== path &&
      `/interaction/${uid}/login` !== path
    ) {
      send(res, 404, 'Not found', 'text/plain');
      return;
    }
    if (prompt.name === 'login') {
      if (req.method === 'POST' && path.endsWith('/login')) {
        const form = await readForm(req);
        const username = (form.get('username') ?? '').trim();
        const password = form.get('password') ?? '';
        const account = accounts.get(username);
        if (!account || !samePassword(password)) {
          const message = account
            ? 'Wrong password.'
            : `No local account is called '${username}'.`;
          send(res, 401, loginPage({ uid, username, message, accounts }));
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.username } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const hint =
        typeof params.login_hint === 'string' ? params.login_hint : '';
      send(res, 200, loginPage({ uid, username: hint, accounts }));
      return;
    }
    if (prompt.name === 'consent') {
      // Every client is the local portal: consent is given on the person's behalf.
      const accountId = details.session?.accountId;
      const clientId = String(params.client_id);
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId });
      if (!grant) throw new Error('the grant of this sign-in has expired');
      const missing = prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) {
        grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      }
      if (missing.missingOIDCClaims) {
        grant.addOIDCClaims(missing.missingOIDCClaims);
      }
      for (const [resource, scopes] of Object.entries(
        missing.missingResourceScopes ?? {},
      )) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    send(res, 400, `Unsupported prompt '${prompt.name}'`, 'text/plain');
  }

  handle = (req, res) => {
    if (!(req.url ?? '').startsWith('/interaction/')) {
      providerCallback(req, res);
      return;
    }
    interaction(req, res).catch((error: Error & { statusCode?: number }) => {
      // An expired or unknown interaction (its cookie is gone) is the person's to
      // restart, not a server fault.
      if (error.name === 'SessionNotFound') {
        send(
          res,
          400,
          'This sign-in has expired or was already used. Go back to the portal and sign in again.',
          'text/plain; charset=utf-8',
        );
        return;
      }
      logError(`local-idp: interaction failed: ${error.message}`);
      if (!res.headersSent) {
        send(
          res,
          error.statusCode ?? 500,
          'The sign-in failed.',
          'text/plain; charset=utf-8',
        );
      }
    });
  };

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
