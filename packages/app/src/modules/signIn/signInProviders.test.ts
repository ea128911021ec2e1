import { signInProviders } from './signInProviders';
import { oidcAuthApiRef } from './oidcAuthApi';

describe('signInProviders', () => {
  it('maps configured names to the sign-in page providers', () => {
    const [guest, github, oidc] = signInProviders(['guest', 'github', 'oidc']);
    expect(guest).toBe('guest');
    expect(github).toMatchObject({
      id: 'github-auth-provider',
      title: 'GitHub',
    });
    expect(oidc).toMatchObject({
      id: 'oidc-auth-provider',
      title: 'Single sign-on',
      message: 'Sign in with Single sign-on',
      apiRef: oidcAuthApiRef,
    });
  });

  it('names the OIDC provider as configured', () => {
    const [oidc] = signInProviders(['oidc'], { oidcTitle: 'Okta' });
    expect(oidc).toMatchObject({ title: 'Okta', message: 'Sign in with Okta' });
  });

  it('names an unknown provider in its error', () => {
    expect(() => signInProviders(['okta'])).toThrow(
      "Unknown sign-in provider 'okta' in paved.signIn.providers; use one of guest, github, oidc",
    );
  });
});
