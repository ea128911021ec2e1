import { expect, Locator, Page } from '@playwright/test';

/**
 * Requests a resource as a developer does: its card on the Self-service page, then
 * its generated form (`fill` sets the type's own fields after the name). Leaves the
 * page on the new request's page and returns when the request was submitted.
 */
export async function requestFromSelfService(
  page: Page,
  options: {
    /** The type's title, on its card and its form's button. */
    title: string;
    typeId: string;
    name: string;
    fill?: () => Promise<void>;
  },
): Promise<number> {
  // From the sidebar, as a developer does (and without loading the portal again).
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Self-service' })
    .click();
  // Each resource type is a card; the whole card opens its form.
  await page.getByRole('heading', { name: options.title, exact: true }).click();
  await expect(page).toHaveURL(
    new RegExp(`/self-service/request/${options.typeId}$`),
  );
  await page
    .getByRole('textbox', { name: 'Name', exact: true })
    .fill(options.name);
  await options.fill?.();
  // The guest (alice) is in one group, the platform team, which is preselected.
  const requested = Date.now();
  await page.getByRole('button', { name: `Request ${options.title}` }).click();
  await expect(page).toHaveURL(/\/self-service\/requests\/[0-9a-f-]+$/);
  return requested;
}

/** Waits until the request page shows the request in `state`. */
export async function expectRequestState(
  page: Page,
  state: string,
  timeout = 60_000,
) {
  await expect(page.getByTestId('request-state')).toHaveAttribute(
    'data-state',
    state,
    { timeout },
  );
}

/** The request page's timeline. */
export const timeline = (page: Page) =>
  page.getByRole('list', { name: 'Timeline' });

/**
 * Runs a day-2 action that takes no input from the request page's Actions, and waits
 * until its timeline says it succeeded. `id` is the action's id, as the timeline
 * names it.
 */
export async function runAction(page: Page, title: string, id: string) {
  // How runs of it ended (not 'action-requested', which says who asked).
  const runs = timeline(page).locator(
    'li[data-event-type="action-succeeded"], li[data-event-type="action-failed"]',
    { hasText: `Action '${id}'` },
  );
  const before = await runs.count();
  await page
    .getByRole('group', { name: 'Actions' })
    .getByRole('button', { name: title, exact: true })
    .click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByRole('button', { name: title, exact: true }).click();
  await expect(dialog).toBeHidden();
  // The page follows the operation until it ends, as succeeded or failed.
  await expect(runs).toHaveCount(before + 1);
  await expect(runs.last()).toHaveAttribute(
    'data-event-type',
    'action-succeeded',
  );
  await expectRequestState(page, 'ready');
}

/** Deletes the request from its page, typing its name to confirm, and waits until it is gone. */
export async function deleteFromRequestPage(page: Page, name: string) {
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page
    .getByRole('textbox', { name: `Type ${name} to confirm` })
    .fill(name);
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await expectRequestState(page, 'deleted', 120_000);
}

/** The value of item `label` in the live status (`Objects`, `Size` ...). */
export const liveStatusItem = (page: Page, label: string): Locator =>
  page
    .getByTestId('live-status')
    .locator('dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');

/** The cells of the row of a live status table (`title`) whose first cell is `key`. */
export const liveStatusRow = (page: Page, title: string, key: string) =>
  page
    .getByRole('table', { name: title })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: key, exact: true }) })
    .getByRole('cell');

/**
 * Follows the request page's link to the Resource the catalog lists for it (once the
 * catalog has it), and checks its type and owner; leaves the page there.
 */
export async function openInCatalog(
  page: Page,
  options: { name: string; type: string; owner: string },
) {
  const { name } = options;
  // The entity's About card; each field is a heading followed by its value. (The
  // page's heading names the entity also when the catalog does not have it.)
  const about = page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: 'About' }) });
  await expect(async () => {
    // A try that found the catalog without it yet: back to the request page.
    if (!/\/self-service\/requests\//.test(page.url())) await page.goBack();
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/resource/${name}$`),
    );
    await expect(about).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000, intervals: [3_000] });
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();
  const field = (label: string) =>
    about
      .getByRole('heading', { name: label, exact: true })
      .locator('xpath=following-sibling::*[1]');
  await expect(field('Owner')).toHaveText(options.owner);
  await expect(field('Type')).toHaveText(options.type);
}
