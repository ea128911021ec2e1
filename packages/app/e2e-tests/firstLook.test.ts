import { test, expect, Page } from '@playwright/test';
import { signInAsGuest } from './signIn';

// The width the faults were seen at (a laptop's full-HD screen at 75%).
test.use({ viewport: { width: 1440, height: 900 } });

/** Fails when the page itself scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

test('a newcomer lands on the whole catalog, also from its usual /catalog address', async ({
  page,
}) => {
  await signInAsGuest(page);

  // All components, not the one the guest owns: "All" is selected from the start
  // (portal.test.ts finds the sample services in the list without a click).
  await expect(page.getByTestId('user-picker-all')).toHaveClass(/Mui-selected/);
  await expect(page.getByText(/^All Components \(\d+\)$/)).toBeVisible();

  // /catalog (bookmarks, docs, other tools) leads to the catalog, with its filters.
  await page.goto('/catalog?filters%5Bkind%5D=api');
  await expect(page).toHaveURL(/\/\?filters%5Bkind%5D=api/);
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();
  await page.goto('/catalog/');
  await expect(page).toHaveURL(/:\d+\/(\?.*)?$/);
  await expect(
    page.getByRole('heading', { name: 'Acme Retail Catalog' }),
  ).toBeVisible();

  // Entity pages keep their /catalog/<namespace>/<kind>/<name> addresses.
  await page.goto('/catalog/default/component/payments-api');
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await expect(
    page.getByRole('heading', { name: 'Payments API service' }).first(),
  ).toBeVisible();
});

test('the sidebar shows every label whole, and no developer tools', async ({
  page,
}) => {
  await signInAsGuest(page);
  // Open (pinned) from the start on a wide screen.
  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(sidebar.getByText('Catalog', { exact: true })).toBeVisible();

  const labels = sidebar.locator('[class*="BackstageSidebarItem-label"]');
  await expect(labels.first()).toBeVisible();
  const cut = await labels.evaluateAll(elements =>
    elements
      .filter(element => element.scrollWidth > element.clientWidth)
      .map(element => element.textContent),
  );
  expect(cut).toEqual([]);
  // The short labels of the pages whose titles do not fit.
  await expect(sidebar.getByText('Graph', { exact: true })).toBeVisible();
  await expect(sidebar.getByText('Register', { exact: true })).toBeVisible();

  // The extension tree visualizer is for the portal's developers (app-config.yaml).
  await expect(sidebar.getByText('Visualizer')).toHaveCount(0);
  await page.goto('/visualizer');
  await expect(page.getByText('Visualizer', { exact: true })).toHaveCount(0);
});

test('the Create page offers the golden paths first, then self-service, and no runbooks', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/create');

  const goldenPaths = page.getByRole('heading', { name: 'Golden paths' });
  const selfService = page.getByRole('heading', {
    name: 'Self-service resources',
  });
  await expect(goldenPaths).toBeVisible();
  await expect(selfService).toBeVisible();
  const top = async (text: string) =>
    (await page.getByText(text, { exact: true }).first().boundingBox())!.y;
  const goldenPathsTop = (await goldenPaths.boundingBox())!.y;
  const selfServiceTop = (await selfService.boundingBox())!.y;
  expect(goldenPathsTop).toBeLessThan(selfServiceTop);

  // The golden paths under their heading, above the self-service resources.
  for (const title of [
    'TypeScript HTTP service',
    'React web app',
    'TypeScript library',
  ]) {
    const y = await top(title);
    expect(y).toBeGreaterThan(goldenPathsTop);
    expect(y).toBeLessThan(selfServiceTop);
  }
  for (const title of [
    'Request a PostgreSQL database',
    'Request a queue',
    'Request a bucket',
    'Create an environment',
  ]) {
    expect(await top(title)).toBeGreaterThan(selfServiceTop);
  }

  // Runbooks run on a component (its Runbooks tab), they are not created here,
  // and nothing is left over for an "Other" group.
  await expect(page.getByText(/^Runbook: /)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Other' })).toHaveCount(0);
  // Their forms still open from their links (the runbooks docs, the Runbooks tab).
  await page.goto('/create/templates/default/restart-deployment');
  await expect(
    page.getByText('Runbook: restart a deployment').first(),
  ).toBeVisible();

  await page.goto('/create');
  await expect(goldenPaths).toBeVisible();
  await expectNoSidewaysScroll(page);
});
