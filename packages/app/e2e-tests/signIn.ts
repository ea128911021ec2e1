import { expect, Page } from '@playwright/test';

/** Signs in as the guest (alice of the platform team) and waits for the catalog. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();
}

/** Every local account's password (packages/local-idp; local use only). */
export const LOCAL_PASSWORD = 'paved-local';

/**
 * Opens the provider's sign-in form from the portal's sign-in page: the popup that
 * Backstage opens for the `oidc` provider, once the provider has shown its form.
 */
export async function openProviderForm(page: Page): Promise<Page> {
  await page.goto('/');
  // Beside guest, which stays for a quick look.
  await expect(page.getByText('Sign in with Single sign-on')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enter' })).toBeVisible();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In', exact: true }).click();
  const form = await popup;
  await expect(
    form.getByRole('heading', { name: 'Sign in to Paved' }),
  ).toBeVisible();
  return form;
}

export async function submitProviderForm(
  form: Page,
  username: string,
  password: string,
) {
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Signs in as one of the sample organisation's people through the local identity
 * provider, and waits for the catalog (the landing page).
 */
export async function signInThroughProvider(page: Page, username: string) {
  const form = await openProviderForm(page);
  const closed = form.waitForEvent('close');
  await submitProviderForm(form, username, LOCAL_PASSWORD);
  // The backend's callback hands the identity to the portal and closes the popup.
  await closed;
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();
}

/**
 * The Backstage token of whoever is signed in on `page` through `provider`, read the
 * way the portal reads it: core-app-api's DefaultAuthConnector refreshes the session
 * with `GET /api/auth/<provider>/refresh?optional&env=<auth.environment>`, sending the
 * provider's session cookie, and takes `backstageIdentity.token` from the answer.
 */
export async function backstageTokenOf(
  page: Page,
  backend: string,
  provider = 'oidc',
): Promise<string> {
  const identity = await page.evaluate(async url => {
    const response = await fetch(url, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      credentials: 'include',
    });
    const body = await response.json();
    return {
      status: response.status,
      token: body?.backstageIdentity?.token as string | undefined,
      error: body?.error?.message as string | undefined,
    };
  }, `${backend}/api/auth/${provider}/refresh?optional&env=development`);
  expect(identity.error, 'the auth backend refused the refresh').toBe(
    undefined,
  );
  expect(identity.status).toBe(200);
  expect(identity.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return identity.token!;
}
