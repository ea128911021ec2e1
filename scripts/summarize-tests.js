#!/usr/bin/env node
/* eslint-disable no-console */
// Adds up the JSON reports of Jest and Playwright into one closing line,
// `N passed, N failed, N skipped`, so a reader (or CI) sees the whole run at once.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const read = name => {
  const file = path.join(dir, name);
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const jest = read('jest.json');
if (jest) {
  totals.passed += jest.numPassedTests;
  totals.failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
  totals.skipped += jest.numPendingTests + jest.numTodoTests;
  console.log(
    `jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed in ${jest.numTotalTestSuites} suites`,
  );
}
const playwright = read('playwright.json');
if (playwright) {
  const { expected, unexpected, flaky, skipped } = playwright.stats;
  totals.passed += expected + flaky;
  totals.failed += unexpected;
  totals.skipped += skipped;
  console.log(
    `playwright: ${
      expected + flaky
    } passed (${flaky} flaky), ${unexpected} failed, ${skipped} skipped`,
  );
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
