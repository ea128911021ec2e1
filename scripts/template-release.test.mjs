// scripts/template-release.mjs on a throwaway template folder.
// Run with `yarn test:scripts` (part of ./paved test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('template-release.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'template-release-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let templates = 0;
/** A template folder with the given files (path -> text). */
function templateWith(files) {
  const dir = join(scratch, `template-${++templates}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const TEMPLATE = (version = "'1.0.0'") =>
  [
    'apiVersion: scaffolder.backstage.io/v1beta3',
    'kind: Template',
    'metadata:',
    '  name: web-service',
    '  annotations:',
    `    paved.dev/template-version: ${version}`,
    'spec:',
    '  steps: []',
    '',
  ].join('\n');

function release(dir) {
  return spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
}

/** Every file under dir, relative, sorted. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry =>
      join(entry.parentPath ?? entry.path, entry.name).slice(dir.length + 1),
    )
    .sort();
}

describe('template-release', () => {
  it('keeps the current version in versions/<version>/, without versions/ and CHANGELOG.md', () => {
    const dir = templateWith({
      'template.yaml': TEMPLATE(),
      'CHANGELOG.md': '## 1.0.0 (2026-01-01)\n\n- First release.\n',
      'skeleton/Dockerfile': 'FROM node:22\n',
      'skeleton/.dockerignore': 'node_modules\n',
      'skeleton/src/app.ts': 'export const port = ${{ values.port }};\n',
      'versions/0.9.0/template.yaml': TEMPLATE("'0.9.0'"),
    });
    const result = release(dir);
    assert.equal(result.status, 0, result.stderr);

    assert.deepEqual(filesUnder(join(dir, 'versions/1.0.0')), [
      'skeleton/.dockerignore',
      'skeleton/Dockerfile',
      'skeleton/src/app.ts',
      'template.yaml',
    ]);
    assert.equal(
      readFileSync(join(dir, 'versions/1.0.0/skeleton/src/app.ts'), 'utf8'),
      'export const port = ${{ values.port }};\n',
    );
    assert.equal(
      readFileSync(join(dir, 'versions/1.0.0/template.yaml'), 'utf8'),
      TEMPLATE(),
    );
    // The current template stays where it was, and nothing temporary is left.
    assert.ok(existsSync(join(dir, 'skeleton/Dockerfile')));
    assert.deepEqual(readdirSync(join(dir, 'versions')).sort(), [
      '0.9.0',
      '1.0.0',
    ]);

    assert.match(result.stdout, /Kept web-service 1\.0\.0 in /);
    assert.match(result.stdout, /paved\.dev\/template-version .*'1\.1\.0'/);
    assert.match(result.stdout, /## 1\.1\.0 \(\d{4}-\d{2}-\d{2}\)/);
    // The tests to run are the ones templates/README.md names, word for word.
    const command = /^ +(cd plugins\/.+)$/m.exec(result.stdout)?.[1];
    assert.match(command ?? '', /src\/templateVersions src\/goldenPaths /);
    const readme = readFileSync(
      fileURLToPath(new URL('../templates/README.md', import.meta.url)),
      'utf8',
    );
    assert.ok(
      readme.includes(command),
      `templates/README.md does not name: ${command}`,
    );
  });

  it('refuses a version it has kept already, changing nothing', () => {
    const dir = templateWith({
      'template.yaml': TEMPLATE(),
      'skeleton/a.txt': 'new text\n',
      'versions/1.0.0/template.yaml': TEMPLATE(),
      'versions/1.0.0/skeleton/a.txt': 'released text\n',
    });
    const result = release(dir);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /versions\/1\.0\.0 already exists/);
    assert.equal(
      readFileSync(join(dir, 'versions/1.0.0/skeleton/a.txt'), 'utf8'),
      'released text\n',
    );
    assert.deepEqual(readdirSync(join(dir, 'versions')), ['1.0.0']);
  });

  it('refuses a template without a version annotation, naming it', () => {
    const dir = templateWith({ 'template.yaml': TEMPLATE('1.0') });
    const result = release(dir);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /'paved\.dev\/template-version' annotation/);
    assert.equal(existsSync(join(dir, 'versions')), false);
  });

  it('refuses a folder without template.yaml, and a missing argument', () => {
    const dir = templateWith({ 'README.md': 'not a template\n' });
    const noTemplate = release(dir);
    assert.equal(noTemplate.status, 1);
    assert.match(noTemplate.stderr, /has no template\.yaml/);

    const noArgument = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
    });
    assert.equal(noArgument.status, 1);
    assert.match(noArgument.stderr, /usage: /);
  });
});
