import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test("a developer sees their service's maturity level and what to fix next", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-api/scorecard');

  // Scored on a schedule after start; Re-evaluate scores it at once if not yet.
  const notScored = page.getByText('Not scored yet');
  const badge = page.getByRole('img', { name: /^Level \d · / }).first();
  await expect(notScored.or(badge).first()).toBeVisible({ timeout: 30_000 });
  if (await notScored.isVisible()) {
    await page.getByRole('button', { name: 'Re-evaluate' }).click();
  }
  await expect(badge).toBeVisible({ timeout: 30_000 });

  // A failing check says why, and links to how to fix it.
  const failing = page.getByRole('listitem', { name: /: failing$/ }).first();
  await expect(failing).toBeVisible();
  await expect(
    failing.getByRole('link', { name: /^How to fix: / }),
  ).toBeVisible();
  await expect(failing).toContainText('How to fix');
});
