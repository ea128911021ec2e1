// The local cluster's status file and build progress as scripts/lib/portal.sh writes
// them for ./paved start; the backend reads the file (provisioning-backend's
// LocalClusterStatusFile). Run with `yarn test:scripts` (part of ./paved test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'portal-status-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const statusFile = join(scratch, 'local-cluster.json');

/** Runs `script` in bash with portal.sh's functions; returns its stderr. */
function portalSh(script, env = {}) {
  const run = spawnSync(
    'bash',
    [
      '-c',
      `set -euo pipefail; source scripts/lib/bootstrap.sh; source scripts/lib/portal.sh; ${script}`,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PAVED_CLUSTER_STATUS: statusFile,
        PAVED_CLUSTER_STARTED_AT: '2026-12-07T10:00:00Z',
        ...env,
      },
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 0, run.stderr);
  return run.stderr;
}
const status = () => JSON.parse(readFileSync(statusFile, 'utf8'));

describe('the local cluster status file', () => {
  it('holds the state, when it began, the last build time and the step', () => {
    portalSh('portal_cluster_status building "kube-apiserver (2 of 5)"', {
      PAVED_LAST_BUILD_SECONDS: '412',
    });
    assert.deepEqual(status(), {
      state: 'building',
      startedAt: '2026-12-07T10:00:00Z',
      lastBuildSeconds: 412,
      step: 'kube-apiserver (2 of 5)',
    });
  });

  it('stays JSON whatever the message holds', () => {
    const message =
      'The build failed: "go" said C:\\temp\tis\nnot writable (log: /d/cluster-build.log).';
    portalSh('portal_cluster_status failed "" "$MESSAGE"', {
      MESSAGE: message,
    });
    assert.deepEqual(status(), {
      state: 'failed',
      startedAt: '2026-12-07T10:00:00Z',
      message:
        'The build failed: "go" said C:\\temp is not writable (log: /d/cluster-build.log).',
    });
  });
});

describe('the build progress', () => {
  it('shows each new line of the build log once, prefixed, and keeps the step current', () => {
    const log = join(scratch, 'cluster-build.log');
    writeFileSync(
      log,
      'building Kubernetes v1.35.4 into /bin\n  [1/5] etcd ... 0s\n  [1/5] etcd built in 39s\n  [2/5] kube-api',
    );
    // Two rounds of the supervising loop, the second after the build wrote more.
    const shown = portalSh(
      `exec 6<"$LOG"; PAVED_BUILD_PARTIAL=""
       portal_build_progress
       printf 'server ... 20s\\n' >>"$LOG"
       portal_build_progress
       printf 'state=%s\\n' "$(cat "$PAVED_CLUSTER_STATUS")" >&2`,
      { LOG: log },
    );
    assert.deepEqual(shown.trim().split('\n'), [
      '[cluster] building Kubernetes v1.35.4 into /bin',
      '[cluster]   [1/5] etcd ... 0s',
      '[cluster]   [1/5] etcd built in 39s',
      '[cluster]   [2/5] kube-apiserver ... 20s',
      'state={"state":"building","startedAt":"2026-12-07T10:00:00Z","step":"kube-apiserver (2 of 5)"}',
    ]);
  });
});
