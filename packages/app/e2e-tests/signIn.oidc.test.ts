import { test, expect, Page } from '@playwright/test';
import {
  expectRequestState,
  requestFromSelfService,
  timeline,
} from './requestPage';
import {
  LOCAL_PASSWORD,
  openProviderForm,
  signInThroughProvider,
  submitProviderForm,
} from './signIn';

/*
 * Sign-in through the real OpenID Connect flow: the sign-in page's "Single sign-on"
 * opens Backstage's popup on the local identity provider that `./paved start` runs
 * (packages/local-idp, oidc-provider), whose accounts are the sample organisation's
 * people. Nothing here signs in any other way: each person types a username and a
 * password on the provider's own form, the backend's oidc module exchanges the code
 * and matches the e-mail to a catalog User.
 */

const BACKEND = process.env.PAVED_E2E_BACKEND_URL ?? 'http://localhost:7007';

/**
 * The Backstage token the portal sends for the signed-in person: read from a call the
 * portal itself makes, so that calls made with it are theirs, as the browser's are.
 */
async function tokenOf(page: Page, visit: () => Promise<unknown>) {
  const call = page.waitForRequest(
    request =>
      request.url().startsWith(`${BACKEND}/api/catalog/`) &&
      request.method() === 'GET',
  );
  await visit();
  const authorization = (await (await call).allHeaders()).authorization;
  expect(authorization).toMatch(/^Bearer \S+$/);
  return authorization;
}

test('a wrong password is refused on the provider, and nobody is signed in', async ({
  page,
}) => {
  const form = await openProviderForm(page);

  await submitProviderForm(form, 'bob', 'not-the-password');
  await expect(form.getByRole('alert')).toHaveText('Wrong password.');
  // The provider keeps its form (with the username) for another try.
  await expect(form.getByLabel('Username')).toHaveValue('bob');
  await expect(form.getByLabel('Password')).toHaveValue('');

  // Someone the provider does not know is refused too, by name.
  await submitProviderForm(form, 'mallory', LOCAL_PASSWORD);
  await expect(form.getByRole('alert')).toHaveText(
    "No local account is called 'mallory'.",
  );

  // Giving up leaves the portal on its sign-in page, signed in as nobody.
  await form.close();
  await expect(
    page.getByRole('button', { name: 'Sign In', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toHaveCount(0);
  const identity = await page.request.get(`${BACKEND}/api/catalog/entities`);
  expect(identity.status()).toBe(401);
});

test('bob requests a production database, the platform team approves it in another browser, bob is notified and cannot delete another team\u2019s service', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const name = `ledger-${Date.now().toString(36)}`;

  // bob, of the payments team, signs in through the provider.
  await signInThroughProvider(page, 'bob');

  // A production database: the postgres resource type holds it for a platform-team
  // approval ("production databases need a platform-team approval").
  await requestFromSelfService(page, {
    title: 'PostgreSQL database',
    typeId: 'postgres',
    name,
    fill: async () => {
      await page.getByRole('button', { name: /^Environment/ }).click();
      await page.getByRole('option', { name: 'production' }).click();
    },
  });
  // For his team (his only group, preselected), requested by him.
  await expect(page.getByText(/, requested by/)).toContainText(
    'PostgreSQL database of Payments Team, requested by Bob Okafor',
  );
  await expectRequestState(page, 'pending-approval');
  await expect(page.getByText(/^Waiting for approval by/)).toContainText(
    'Platform Team',
  );
  await expect(
    page.getByText(
      "resource type 'postgres': production databases need a platform-team approval. Nothing is provisioned",
    ),
  ).toBeVisible();
  // Nothing is made while it waits.
  await expect(page.getByTestId('credentials-location')).toHaveCount(0);

  // In another browser profile, Priya of the platform team signs in through the
  // provider too, and finds the request among those waiting for her.
  const approverContext = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
  });
  try {
    const approver = await approverContext.newPage();
    await signInThroughProvider(approver, 'priya');
    // She heard about it.
    await approver.goto('/notifications');
    await expect(
      approver.getByText(`Approval needed: postgres '${name}'`),
    ).toBeVisible();

    await approver.goto('/self-service/approvals');
    const row = approver
      .getByRole('row')
      .filter({ has: approver.getByText(`postgres ${name}`) });
    await expect(row).toContainText('Bob Okafor');
    await expect(row).toContainText(
      'production databases need a platform-team approval',
    );
    await row.getByRole('button', { name: `Approve ${name}` }).click();
    const dialog = approver.getByRole('dialog');
    await dialog
      .getByRole('textbox', { name: 'Comment' })
      .fill('Approved for the ledger launch');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(approver.getByText(`postgres ${name}`)).toHaveCount(0);
  } finally {
    await approverContext.close();
  }

  // bob's page follows the request from the approval to a ready database.
  await expectRequestState(page, 'ready', 150_000);
  await expect(timeline(page)).toContainText('Priya Raman');
  await expect(page.getByTestId('credentials-location')).toContainText(
    `Credentials are in Secret ${name}-postgres in namespace team-payments`,
  );

  // And he is told (the request's notifications share one entry, the newest).
  await page.goto('/notifications');
  await expect(page.getByText(`postgres '${name}' is ready`)).toBeVisible();

  // bob may not delete checkout-service, which the checkout team owns: the portal
  // does not offer it...
  const token = await tokenOf(page, () =>
    page.goto('/catalog/default/component/checkout-service'),
  );
  await expect(
    page.getByRole('heading', { name: 'Checkout Service' }).first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'More actions' }).click();
  await expect(
    page.getByRole('menuitem', { name: 'Unregister entity' }),
  ).toBeDisabled();
  await page.keyboard.press('Escape');

  // ...and the catalog refuses it when asked directly with his own token.
  const headers = { authorization: token };
  const entity = await page.request.get(
    `${BACKEND}/api/catalog/entities/by-name/component/default/checkout-service`,
    { headers },
  );
  expect(entity.status()).toBe(200);
  const { uid } = (await entity.json()).metadata;
  const refused = await page.request.delete(
    `${BACKEND}/api/catalog/entities/by-uid/${uid}`,
    { headers },
  );
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.name).toBe('NotAllowedError');
  const still = await page.request.get(
    `${BACKEND}/api/catalog/entities/by-uid/${uid}`,
    { headers },
  );
  expect(still.status()).toBe(200);
});
