import { spawn } from 'node:child_process';

/** What {@link runGit} returns: raw output (blobs may be binary) and the exit code. */
export interface GitResult {
  stdout: Buffer;
  code: number;
}

export interface GitOptions {
  input?: Buffer | string;
  /** Exit codes that are answers, not failures (e.g. 1 of merge-base --is-ancestor). */
  okCodes?: number[];
  env?: Record<string, string>;
}

/** Runs git; the seam tests use to interpose (e.g. a concurrent push). */
export type GitRunner = (
  args: string[],
  options?: GitOptions,
) => Promise<GitResult>;

/**
 * Runs the system `git` independent of the machine's and the user's git
 * configuration (a user's merge.conflictStyle or diff settings would change what
 * an upgrade writes), with stdin and binary stdout, which the `git()` helper of
 * the local repositories does not offer. Exit codes other than 0 and `okCodes`
 * throw with git's message.
 */
export const runGit: GitRunner = (args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        LC_ALL: 'C',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      const exit = code ?? -1;
      if (exit === 0 || options.okCodes?.includes(exit)) {
        resolve({ stdout: Buffer.concat(stdout), code: exit });
        return;
      }
      const message = Buffer.concat(stderr).toString('utf8').trim();
      reject(
        new Error(
          `git ${args.join(' ')} failed (exit ${exit}): ${
            message || 'no message'
          }`,
        ),
      );
    });
    // git may exit before reading all of stdin (an error): that is reported above.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });

/** Runs git and returns its output as trimmed text. */
export async function gitText(
  run: GitRunner,
  args: string[],
  options?: GitOptions,
): Promise<string> {
  const { stdout } = await run(args, options);
  return stdout.toString('utf8').trim();
}
