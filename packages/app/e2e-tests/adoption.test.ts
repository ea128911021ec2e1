import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the platform team sees the portal being used, and what a developer answered in the survey', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // A visit that started a while ago: the survey is not offered on a first page.
  await page.addInitScript(() =>
    window.sessionStorage.setItem('paved.adoption.sessionStart', '1'),
  );
  const comment = `More golden paths, please (${Date.now().toString(36)})`;
  await signInAsGuest(page);

  // Browse: a service, its docs, the self-service page.
  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByRole('heading', { name: /Payments API/ }).first(),
  ).toBeVisible();
  await page.goto('/self-service');
  await expect(
    page.getByRole('heading', { name: 'PostgreSQL database', exact: true }),
  ).toBeVisible();

  // Answer the survey that the portal offers.
  const survey = page.getByRole('complementary', { name: 'Portal survey' });
  await expect(survey).toBeVisible({ timeout: 30_000 });
  await survey.getByRole('button', { name: 'Score 9' }).click();
  await survey
    .getByRole('textbox', {
      name: 'What would make the portal better? (optional)',
    })
    .fill(comment);
  await survey.getByRole('button', { name: 'Submit' }).click();
  await expect(survey.getByRole('status')).toContainText('Thank you!');

  // The dashboard, rolled up now rather than on the next scheduled refresh. The
  // browser sends its batches every 10 seconds, so the visits arrive shortly.
  await page.goto('/adoption');
  await expect(
    page.getByRole('heading', { name: 'Adoption dashboard' }),
  ).toBeVisible();
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(
      page.getByRole('table', { name: 'Usage per plugin' }),
    ).toContainText('catalog', { timeout: 5_000 });
  }).toPass({ timeout: 90_000, intervals: [5_000] });
  await expect(page.getByRole('table', { name: 'Top pages' })).toBeVisible();

  const nps = page.getByRole('region', {
    name: 'Developer satisfaction (NPS)',
  });
  await expect(nps.getByRole('list', { name: 'NPS comments' })).toContainText(
    comment,
  );
});
