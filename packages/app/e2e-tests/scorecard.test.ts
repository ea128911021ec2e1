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
  // The sample's story (examples/org/README.md): docs, source location and API
  // definitions, but built before the golden paths, on a database made by hand.
  await expect(
    page.getByRole('img', { name: 'Level 2 · Standardized' }).first(),
  ).toBeVisible({ timeout: 30_000 });

  // The first failing check is the next step, says why, and links to how to fix it.
  const failing = page.getByRole('listitem', { name: /: failing$/ }).first();
  await expect(failing).toHaveAccessibleName(
    'Created from a golden path: failing',
  );
  await expect(
    failing.getByRole('link', { name: /^How to fix: / }),
  ).toBeVisible();
  await expect(failing).toContainText('How to fix');
});

test('the level distribution names every level on its axis', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsGuest(page);
  await page.goto('/scorecard');

  const chart = page.getByRole('img', { name: 'Level distribution' });
  await expect(chart).toBeVisible({ timeout: 30_000 });
  // The counts below the chart list the levels it draws.
  const counts = page
    .getByLabel('Level distribution counts')
    .getByText(/^Level \d · /);
  await expect(counts.first()).toBeVisible();
  const levels = (await counts.allTextContents()).map(
    text => /^Level (\d)/.exec(text)![1],
  );
  expect(levels.length).toBeGreaterThan(1);

  const ticks = chart.locator('.recharts-xAxis-tick-labels text');
  await expect(ticks).toHaveCount(levels.length);
  // A wrapped label has a <tspan> per line: "2", "Standardized".
  const labels = await ticks.evaluateAll(texts =>
    texts.map(text =>
      Array.from(text.querySelectorAll('tspan'))
        .map(line => line.textContent)
        .join(' '),
    ),
  );
  expect(labels.map(label => label.split(' ')[0])).toEqual(levels);
  // At this width the names fit whole on two lines ("2" / "Standardized").
  expect(labels.filter(label => label.endsWith('…'))).toEqual([]);

  // Side by side, none over its neighbour.
  const boxes = await ticks.evaluateAll(texts =>
    texts.map(text => {
      const { left, right } = text.getBoundingClientRect();
      return { left, right };
    }),
  );
  for (let i = 1; i < boxes.length; i++) {
    expect(boxes[i].left).toBeGreaterThanOrEqual(boxes[i - 1].right);
  }
});
