import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('a guest finds a sample service, reads its docs and searches them', async ({
  page,
}) => {
  await signInAsGuest(page);

  // The catalog is the landing page, open on "All": the sample organization's
  // services, although the guest (a platform-team member) owns only the portal.
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

test("a service's Kubernetes tab shows its workloads on the local cluster", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/checkout-service/kubernetes');

  // ./paved start seeds examples/kubernetes into the local control plane, where kwok
  // runs the Deployment's 2 pods on simulated nodes.
  const cluster = page.getByText('Local control plane');
  await expect(cluster).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('No pods with errors').first()).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('2 pods').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000, intervals: [3_000] });

  await page.getByText('Local control plane').click();
  await expect(
    page.getByRole('button', {
      name: 'checkout-service Deployment namespace: team-checkout',
      exact: true,
    }),
  ).toBeVisible();
  await expect(page.getByText('min replicas 2 / max replicas 8')).toBeVisible();
  await expect(page.getByText('Ingress', { exact: true })).toBeVisible();
});
