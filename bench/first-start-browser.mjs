#!/usr/bin/env node
/* eslint-disable no-console */
// The browser part of bench/first-start.sh: signs in as the guest in headless Chromium
// and waits until the catalog shows its entries. Prints `rendered-at=<epoch ms>` and
// exits 0 when it did; exits 1 otherwise.
//
//   node bench/first-start-browser.mjs <checkout> [base URL]
//
// Playwright comes from the checkout's node_modules (the start installed it); the
// browser is the machine's Chromium, as in the browser tests (playwright.config.ts).
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [checkout, baseUrl = 'http://localhost:3000'] = process.argv.slice(2);
if (!checkout) {
  console.error('usage: first-start-browser.mjs <checkout> [base URL]');
  process.exit(2);
}
const { chromium } = createRequire(join(checkout, 'package.json'))(
  '@playwright/test',
);

// The first load waits for the dev server's first build of the frontend.
const timeout = 240_000;
const browser = await chromium.launch({
  executablePath: process.env.PAVED_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(baseUrl, { timeout });
  await page.getByRole('button', { name: 'Enter' }).click({ timeout });
  await page
    .getByRole('heading', { name: 'Acme Retail Catalog' })
    .waitFor({ timeout });
  // A row of the table beyond its header: the entries were read from the backend.
  await page.getByRole('row').nth(1).waitFor({ timeout });
  console.log(`rendered-at=${Date.now()}`);
  console.log(`catalog rendered ${Date.now() - t0} ms after the first request`);
} catch (error) {
  console.error(`catalog not rendered: ${error.message.split('\n')[0]}`);
  process.exitCode = 1;
} finally {
  // Chromium's close can hang on this machine's build; it must not hold the bench up
  // (the pipe to Chromium closes with this process, which ends it).
  await Promise.race([
    browser.close(),
    new Promise(resolve => setTimeout(resolve, 10_000)),
  ]);
  process.exit();
}
