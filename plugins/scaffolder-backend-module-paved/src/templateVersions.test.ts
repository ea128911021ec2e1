/*
 * The released versions of every golden path are where template upgrades look for
 * them (templates/README.md, "Versions and upgrades"): CHANGELOG.md has a heading per
 * released version, the template.yaml beside it is the current version, and every
 * other released version is kept in versions/<version>/ with its skeleton. Only the
 * current version is in the catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import {
  parseChangelog,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import { TEMPLATES } from './__testUtils__/goldenPaths';

const readYaml = (file: string) => parse(fs.readFileSync(file, 'utf8'));

/** The golden paths: template folders with a skeleton to render. */
const goldenPaths = fs
  .readdirSync(TEMPLATES, { withFileTypes: true })
  .filter(
    entry =>
      entry.isDirectory() &&
      fs.existsSync(path.join(TEMPLATES, entry.name, 'skeleton')),
  )
  .map(entry => entry.name)
  .sort();

it('finds the golden paths', () => {
  expect(goldenPaths).toEqual([
    'react-web-app',
    'typescript-library',
    'typescript-service',
  ]);
});

it('registers only current versions in the catalog', () => {
  const targets: string[] = readYaml(path.join(TEMPLATES, 'all.yaml')).spec
    .targets;
  expect(targets.filter(target => target.includes('versions/'))).toEqual([]);
  for (const name of goldenPaths) {
    expect(targets).toContain(`./${name}/template.yaml`);
  }
});

describe.each(goldenPaths)('the golden path %s', name => {
  const dir = path.join(TEMPLATES, name);
  const current = readYaml(path.join(dir, 'template.yaml'));
  const currentVersion: string =
    current.metadata.annotations[TEMPLATE_VERSION_ANNOTATION];
  const changelogFile = path.join(dir, 'CHANGELOG.md');
  const entries = fs.existsSync(changelogFile)
    ? parseChangelog(fs.readFileSync(changelogFile, 'utf8'))
    : [];
  const kept = fs.existsSync(path.join(dir, 'versions'))
    ? fs.readdirSync(path.join(dir, 'versions')).sort()
    : [];

  it('has a CHANGELOG.md entry for its current version, dated, newest first', () => {
    expect(fs.existsSync(changelogFile)).toBe(true);
    expect(entries[0]?.version).toBe(currentVersion);
    for (const entry of entries) {
      expect({ version: entry.version, date: entry.date }).toEqual({
        version: entry.version,
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(entry.text).not.toBe('');
    }
  });

  it('keeps every other released version in versions/<version>/: a valid Template annotated with that version', async () => {
    const released = entries
      .map(entry => entry.version)
      .filter(version => version !== currentVersion);
    // Nothing more either: a kept folder without an entry is an unreleased draft.
    expect(kept).toEqual([...released].sort());
    for (const version of released) {
      const file = path.join(dir, 'versions', version, 'template.yaml');
      expect({ file, exists: fs.existsSync(file) }).toEqual({
        file,
        exists: true,
      });
      const template = readYaml(file);
      expect(template.metadata.annotations[TEMPLATE_VERSION_ANNOTATION]).toBe(
        version,
      );
      // The same template (upgrades look versions up by the current one's name).
      expect(template.metadata.name).toBe(current.metadata.name);
      expect(
        fs.existsSync(path.join(dir, 'versions', version, 'skeleton')),
      ).toBe(true);
      await expect(
        templateEntityV1beta3Validator.check(template),
      ).resolves.toBe(true);
    }
  });
});
