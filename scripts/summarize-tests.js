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
// node --test (the scripts' tests) writes TAP; its closing lines hold the counts.
const tapFile = path.join(dir, 'scripts.tap');
if (fs.existsSync(tapFile)) {
  const tap = fs.readFileSync(tapFile, 'utf8');
  const count = name =>
    Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const [passed, failed, skipped] = ['pass', 'fail', 'skipped'].map(count);
  totals.passed += passed;
  totals.failed += failed + count('cancelled');
  totals.skipped += skipped + count('todo');
  console.log(
    `scripts: ${passed} passed, ${failed} failed, ${skipped} skipped`,
  );
}
// The API fuzzing (scripts/fuzz-apis.sh) writes one JUnit report per backend, one
// test case per operation; the root element holds the counts.
const fuzzReports = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter(name => /^fuzz-.*\.xml$/.test(name))
  : [];
if (fuzzReports.length) {
  const fuzz = { passed: 0, failed: 0, skipped: 0 };
  for (const name of fuzzReports) {
    const xml = fs.readFileSync(path.join(dir, name), 'utf8');
    const root = xml.match(/<testsuites\b[^>]*>/)?.[0] ?? '';
    const count = attribute =>
      Number(root.match(new RegExp(`\\b${attribute}="(\\d+)"`))?.[1] ?? 0);
    const failed = count('failures') + count('errors');
    // A report without counts is a broken run: it counts as a failure.
    const tests = root ? count('tests') : 1;
    fuzz.failed += root ? failed : 1;
    fuzz.skipped += count('skipped');
    fuzz.passed += Math.max(0, tests - failed - count('skipped'));
  }
  totals.passed += fuzz.passed;
  totals.failed += fuzz.failed;
  totals.skipped += fuzz.skipped;
  console.log(
    `API fuzzing: ${fuzz.passed} operations passed, ${fuzz.failed} failed, ${fuzz.skipped} skipped`,
  );
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
