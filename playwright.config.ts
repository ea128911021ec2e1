import { defineConfig } from '@playwright/test';

/**
 * Browser tests run against the portal as `./paved start` runs it (started by
 * `./paved test`, or by you before `yarn test:e2e`), in the machine's Chromium:
 * Playwright's own browser download is never used.
 */
const chromium = process.env.PAVED_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  // Retries would hide flaky behaviour of the product; a failure is a failure.
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      // Root has no sandbox; the rest keeps Chromium off the network it cannot reach.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
  projects: [{ name: 'app', testDir: 'packages/app/e2e-tests' }],
});
