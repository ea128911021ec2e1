import { signInProviders } from './signInProviders';

describe('signInProviders', () => {
  it('maps configured names to the sign-in page providers', () => {
    const [guest, github] = signInProviders(['guest', 'github']);
    expect(guest).toBe('guest');
    expect(github).toMatchObject({
      id: 'github-auth-provider',
      title: 'GitHub',
    });
  });

  it('names an unknown provider in its error', () => {
    expect(() => signInProviders(['okta'])).toThrow(
      "Unknown sign-in provider 'okta' in paved.signIn.providers; use one of guest, github",
    );
  });
});
