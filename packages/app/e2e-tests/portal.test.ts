import { test, expect, Page } from '@playwright/test';

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();
}

test('a guest finds a sample service, reads its docs and searches them', async ({
  page,
}) => {
  await signInAsGuest(page);

  // The catalog is the landing page; "All" lists the sample organization's services
  // (guest acts as a platform-team member, who owns only the portal itself).
  await page.getByText('All', { exact: true }).click();
  const catalogTable = page.getByRole('table');
  await expect(
    catalogTable.getByRole('link', { name: 'Checkout Service' }),
  ).toBeVisible();
  await expect(
    catalogTable.getByRole('link', { name: 'Payments API service' }),
  ).toBeVisible();

  // Open one component: its overview shows its owner.
  await catalogTable
    .getByRole('link', { name: 'Payments API service' })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Payments API service' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Payments Team' }).first(),
  ).toBeVisible();

  // Its docs tab renders the markdown from examples/org/components/payments-api/docs.
  await page.getByRole('link', { name: 'TechDocs', exact: true }).click();
  const docs = page.getByTestId('techdocs-native-shadowroot');
  await expect(
    docs.getByRole('heading', { name: 'Payments API', level: 1 }),
  ).toBeVisible({ timeout: 120_000 });

  // A word that appears in one docs page only: search finds that page. Docs are
  // prebuilt and indexed in the background after start, so allow for indexing.
  const result = page
    .getByRole('link', { name: /Nightly settlement/i })
    .first();
  await expect(async () => {
    await page.goto('/search?query=zanzibarquokka');
    await expect(result).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await result.click();
  await expect(page).toHaveURL(
    /docs\/default\/component\/payments-api\/settlement/,
  );
  await expect(
    page
      .getByTestId('techdocs-native-shadowroot')
      .getByText('zanzibarquokka')
      .first(),
  ).toBeVisible();
});
