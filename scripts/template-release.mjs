#!/usr/bin/env node
// Starts a golden path's next release: keeps the current version side by side before
// the template changes, so that template upgrades can still render it (a service's
// upgrade is the difference between its version and the new one, merged into its
// repository; templates/README.md, "Versions and upgrades").
//
//   node scripts/template-release.mjs templates/typescript-service
//
// Copies template.yaml and everything else in the template's folder (skeleton/...)
// except versions/ and CHANGELOG.md into versions/<current version>/, the version
// being template.yaml's paved.dev/template-version annotation, then prints the steps
// left to do. Refuses when that folder exists: a released version never changes.
// The copy is made under a temporary name and renamed into place, so a failure never
// leaves a half-written version behind.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

/** What to run after changing a template (templates/README.md says the same). */
const TEST_COMMAND =
  'cd plugins/scaffolder-backend-module-paved && yarn backstage-cli package test --watchAll=false src/templateVersions src/goldenPaths src/templatesCatalogValid';

const VERSION_ANNOTATION = 'paved.dev/template-version';
/** Not part of a version: the other versions, the history, and installed packages. */
const NOT_COPIED = new Set(['versions', 'CHANGELOG.md', 'node_modules']);

function fail(message) {
  process.stderr.write(`template-release: ${message}\n`);
  process.exit(1);
}

const [dirArgument, ...rest] = process.argv.slice(2);
if (!dirArgument || rest.length > 0 || dirArgument.startsWith('-')) {
  fail('usage: node scripts/template-release.mjs <template-dir>');
}
const dir = resolve(dirArgument);
const templateFile = join(dir, 'template.yaml');
if (!existsSync(templateFile)) {
  fail(`${dirArgument} has no template.yaml`);
}

let template;
try {
  template = parse(readFileSync(templateFile, 'utf8'));
} catch (error) {
  fail(`${templateFile} is not valid YAML: ${error.message}`);
}
const version = template?.metadata?.annotations?.[VERSION_ANNOTATION];
if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
  fail(
    `${templateFile} needs a '${VERSION_ANNOTATION}' annotation holding the current version (major.minor.patch, quoted), found ${JSON.stringify(
      version,
    )}`,
  );
}

const target = join(dir, 'versions', version);
if (existsSync(target)) {
  fail(
    `versions/${version} already exists in ${dirArgument}: ${version} is kept already. ` +
      `Bump ${VERSION_ANNOTATION} in template.yaml only after running this script, once per release.`,
  );
}

const staging = join(dir, 'versions', `.${version}.partial`);
rmSync(staging, { recursive: true, force: true });
try {
  // Entry by entry: the staging folder is inside dir, which cpSync will not copy
  // into itself.
  mkdirSync(staging, { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (!NOT_COPIED.has(entry)) {
      cpSync(join(dir, entry), join(staging, entry), { recursive: true });
    }
  }
  renameSync(staging, target);
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  fail(`could not copy ${version}: ${error.message}`);
}

const [major, minor] = version.split('.').map(Number);
const next = `${major}.${minor + 1}.0`;
const today = new Date().toISOString().slice(0, 10);
const name = template?.metadata?.name ?? basename(dir);
process.stdout.write(
  [
    `Kept ${name} ${version} in ${relative(process.cwd(), target) || target}.`,
    '',
    'Next steps:',
    `  1. Change template.yaml and skeleton/ in ${dirArgument} (not versions/).`,
    `  2. Set ${VERSION_ANNOTATION} in template.yaml to the new version, e.g. '${next}'`,
    '     (major when services must change by hand, minor for additions, patch for fixes).',
    `  3. Add its entry on top of ${join(dirArgument, 'CHANGELOG.md')}:`,
    `       ## ${next} (${today})`,
    '     with short bullets: what changed, and what a service team may need to do.',
    "  4. Run the module's tests (released versions kept, golden-path dry runs, catalog):",
    `       ${TEST_COMMAND}`,
    '',
  ].join('\n'),
);
