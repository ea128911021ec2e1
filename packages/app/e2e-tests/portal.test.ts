import { test, expect, Page } from '@playwright/test';

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeVisible();
}

test('a guest finds a sample service, reads its docs and searches them', async ({
  page,
}) => {
  await signInAsGuest(page);

  // The catalog is the landing page and lists the sample organization's services.
  const catalogTable = page.getByRole('table');
  await expect(
    catalogTable.getByRole('link', { name: 'payments-api' }),
  ).toBeVisible();
  await expect(
    catalogTable.getByRole('link', { name: 'checkout-service' }),
  ).toBeVisible();

  // Open one component: its overview shows its owner.
  await catalogTable.getByRole('link', { name: 'payments-api' }).click();
  await expect(
    page.getByRole('heading', { name: 'payments-api' }),
  ).toBeVisible();
  await expect(page.getByText('payments-team').first()).toBeVisible();

  // Its docs tab renders the markdown from examples/org/components/payments-api/docs.
  await page.getByRole('tab', { name: 'Docs' }).click();
  const docs = page.getByTestId('techdocs-native-shadowroot');
  await expect(
    docs.getByRole('heading', { name: 'Payments API', level: 1 }),
  ).toBeVisible({ timeout: 120_000 });

  // A word that appears in one docs page only: search finds that page. Docs are
  // prebuilt and indexed in the background after start, so allow for indexing.
  await expect(async () => {
    await page.goto('/search?query=zanzibarquokka');
    await expect(
      page.getByRole('link', { name: /Nightly settlement/i }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await page
    .getByRole('link', { name: /Nightly settlement/i })
    .first()
    .click();
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
