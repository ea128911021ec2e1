import { expect, Page } from '@playwright/test';

/** Signs in as the guest (alice of the platform team) and waits for the catalog. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();
}
