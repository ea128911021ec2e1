import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { SignInProviderConfig } from '@backstage/core-components';
import { DEFAULT_OIDC_TITLE, oidcAuthApiRef } from './oidcAuthApi';

/** What the sign-in page's providers may say beyond their names (from config). */
export type SignInProviderOptions = {
  /** `paved.signIn.oidc.title`: how the OIDC provider is called, e.g. "Okta". */
  oidcTitle?: string;
};

/** Sign-in providers the app knows, by the names used in `paved.signIn.providers`. */
const KNOWN_PROVIDERS: Record<
  string,
  (options: SignInProviderOptions) => 'guest' | SignInProviderConfig
> = {
  guest: () => 'guest',
  github: () => ({
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account',
    apiRef: githubAuthApiRef,
  }),
  oidc: ({ oidcTitle = DEFAULT_OIDC_TITLE }) => ({
    id: 'oidc-auth-provider',
    title: oidcTitle,
    message: `Sign in with ${oidcTitle}`,
    apiRef: oidcAuthApiRef,
  }),
};

/**
 * Turns the configured provider names into the sign-in page's providers. An unknown
 * name is a configuration error, reported with the name rather than ignored.
 */
export function signInProviders(
  names: string[],
  options: SignInProviderOptions = {},
): Array<'guest' | SignInProviderConfig> {
  return names.map(name => {
    const provider = KNOWN_PROVIDERS[name];
    if (!provider) {
      throw new Error(
        `Unknown sign-in provider '${name}' in paved.signIn.providers; use one of ${Object.keys(
          KNOWN_PROVIDERS,
        ).join(', ')}`,
      );
    }
    return provider(options);
  });
}
