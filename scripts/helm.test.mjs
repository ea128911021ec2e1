// scripts/helm.sh without building anything: the pinned version, usage errors, and that a
// built helm is reused as it is (offline, no Go needed). The build itself runs in
// packages/backend/src/production/helmChart.test.ts. Run with `yarn test:scripts`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('helm.sh', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'helm-sh-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const helmSh = (args, env = {}) =>
  spawnSync(script, args, {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: '/usr/bin:/bin', PAVED_HOME: scratch, ...env },
  });

describe('scripts/helm.sh', () => {
  it('pins helm v4.3.2', () => {
    const result = helmSh(['version']);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'v4.3.2\n');
  });

  it('refuses unknown commands and extra arguments with its usage', () => {
    const unknown = helmSh(['install']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /usage: .*helm\.sh path\|build\|version/);
    const extra = helmSh(['path', 'now']);
    assert.equal(extra.status, 2);
    assert.match(extra.stderr, /unexpected argument: now/);
  });

  it('prints a helm that is built, without building it again', () => {
    const dir = join(scratch, 'tools', 'helm', 'v4.3.2');
    mkdirSync(dir, { recursive: true });
    const bin = join(dir, 'helm');
    writeFileSync(bin, '#!/bin/sh\necho fake\n');
    chmodSync(bin, 0o755);
    // A build attempt would log to stderr and take minutes: the timeout ends it.
    const result = helmSh(['path']);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `${bin}\n`);
  });
});
