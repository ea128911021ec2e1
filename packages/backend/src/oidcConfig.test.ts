import path from 'node:path';
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import { githubSignInResolvers } from '@backstage/plugin-auth-backend-module-github-provider';
import { oidcSignInResolvers } from '@backstage/plugin-auth-backend-module-oidc-provider';
import { commonSignInResolvers } from '@backstage/plugin-auth-node';

const ROOT = path.resolve(__dirname, '../../..');

/** Loads config files as the production image does, with the given environment only. */
async function loadConfig(files: string[], env: Record<string, string>) {
  const config = await ConfigSources.toConfig(
    ConfigSources.merge(
      files.map(file =>
        FileConfigSource.create({
          path: path.join(ROOT, file),
          watch: false,
          substitutionFunc: async name => env[name],
        }),
      ),
    ),
  );
  config.close();
  return config;
}

const PRODUCTION = ['app-config.yaml', 'app-config.production.yaml'];
const OIDC_ENV = {
  AUTH_OIDC_METADATA_URL:
    'https://idp.example.com/.well-known/openid-configuration',
  AUTH_OIDC_CLIENT_ID: 'paved',
  AUTH_OIDC_CLIENT_SECRET: 'a-secret-from-the-idp',
  AUTH_SESSION_SECRET: 'a-long-random-session-secret',
};

describe('OIDC sign-in in the production config', () => {
  it('leaves a deployment without the AUTH_OIDC_* variables GitHub-only, so it still starts', async () => {
    // The auth backend initialises every provider under auth.providers at start and,
    // outside development, refuses to start if one lacks clientId & co.
    const config = await loadConfig(PRODUCTION, {});
    expect(config.has('auth.providers.oidc')).toBe(false);
    expect(config.getStringArray('paved.signIn.providers')).toEqual(['github']);
  });

  it('adds the OIDC provider and its sign-in button with app-config.oidc.yaml', async () => {
    const config = await loadConfig(
      [...PRODUCTION, 'app-config.oidc.yaml'],
      OIDC_ENV,
    );
    expect(config.getString('auth.environment')).toBe('production');
    // The OIDC module needs the auth backend's session, which needs a secret.
    expect(config.getString('auth.session.secret')).toBe(
      OIDC_ENV.AUTH_SESSION_SECRET,
    );
    expect(config.get('auth.providers.oidc.production')).toEqual({
      metadataUrl: OIDC_ENV.AUTH_OIDC_METADATA_URL,
      clientId: 'paved',
      clientSecret: 'a-secret-from-the-idp',
      prompt: 'login',
      signIn: {
        resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
      },
    });
    expect(config.getStringArray('paved.signIn.providers')).toEqual([
      'github',
      'oidc',
    ]);
    expect(config.getString('paved.signIn.oidc.title')).toBe('Single sign-on');
  });

  it('leaves out a value whose variable is unset, which the auth backend then names at start', async () => {
    const { AUTH_OIDC_CLIENT_SECRET: _unset, ...env } = OIDC_ENV;
    const config = await loadConfig([...PRODUCTION, 'app-config.oidc.yaml'], {
      ...env,
      AUTH_OIDC_TITLE: 'Okta',
    });
    expect(config.has('auth.providers.oidc.production.clientSecret')).toBe(
      false,
    );
    expect(() =>
      config.getString('auth.providers.oidc.production.clientSecret'),
    ).toThrow(
      "Missing required config value at 'auth.providers.oidc.production.clientSecret'",
    );
    expect(config.getString('paved.signIn.oidc.title')).toBe('Okta');
  });
});

describe('the sign-in resolvers that the production configs name', () => {
  // The auth backend refuses to start on a resolver its module does not offer
  // ("Sign-in resolver ... is not available"), which no other test sees before a
  // production start.
  const offered: Record<string, string[]> = {
    github: Object.keys(githubSignInResolvers),
    oidc: Object.keys(oidcSignInResolvers),
  };

  it.each(['github', 'oidc'])('exist in the %s module', async provider => {
    const config = await loadConfig([...PRODUCTION, 'app-config.oidc.yaml'], {
      ...OIDC_ENV,
      AUTH_GITHUB_CLIENT_ID: 'id',
      AUTH_GITHUB_CLIENT_SECRET: 's',
    });
    const named = config
      .getConfigArray(`auth.providers.${provider}.production.signIn.resolvers`)
      .map(resolver => resolver.getString('resolver'));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      expect([
        ...offered[provider],
        ...Object.keys(commonSignInResolvers),
      ]).toContain(name);
    }
  });
});
