import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (scripts/lib lives there). */
export const REPO_ROOT = resolvePackagePath(
  '@paved/provisioning-chaos',
  '../..',
);

/** A value as one shell word (single-quoted). */
export const shellWord = (value: string | number) =>
  `'${String(value).replace(/'/g, `'\\''`)}'`;

/**
 * Runs `script` in bash with the named files of scripts/lib sourced (after
 * bootstrap.sh and ports.sh, which they all expect), from the repository root, so that
 * tests start and stop servers exactly as `./paved start` and `./paved test` do.
 * Resolves to its stdout, trimmed; rejects with its stderr when it fails.
 */
export async function runScriptLib(
  libs: string[],
  script: string,
  timeoutMs = 120_000,
): Promise<string> {
  const sources = ['bootstrap', 'ports', ...libs]
    .map(lib => `source scripts/lib/${lib}.sh`)
    .join('\n');
  const { stdout } = await run(
    'bash',
    [
      '-c',
      `set -euo pipefail
export PAVED_ROOT=${shellWord(REPO_ROOT)}
export PAVED_HOME=\${PAVED_HOME:-$PAVED_ROOT/.paved}
cd "$PAVED_ROOT"
${sources}
${script}`,
    ],
    { env: process.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout.trim();
}
