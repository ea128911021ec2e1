import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileSet, RepoFile } from '../ports';
import { gitText, runGit } from '../git/runGit';

const TEAM = {
  GIT_AUTHOR_NAME: 'Team',
  GIT_AUTHOR_EMAIL: 'team@example.com',
  GIT_COMMITTER_NAME: 'Team',
  GIT_COMMITTER_EMAIL: 'team@example.com',
};

/** A FileSet from text (or {content, executable}) by path. */
export function fileSet(
  files: Record<string, string | { content: string; executable?: boolean }>,
): FileSet {
  const set: FileSet = new Map<string, RepoFile>();
  for (const [file, value] of Object.entries(files)) {
    const { content, executable } =
      typeof value === 'string' ? { content: value, executable: false } : value;
    set.set(file, { content: Buffer.from(content, 'utf8'), executable });
  }
  return set;
}

/** A file's text at a revision of a repository. */
export function show(gitDir: string, rev: string, file: string) {
  return gitText(runGit, ['--git-dir', gitDir, 'show', `${rev}:${file}`]);
}

export function revParse(gitDir: string, rev: string) {
  return gitText(runGit, ['--git-dir', gitDir, 'rev-parse', '--verify', rev]);
}

/**
 * Commits as a team would: a clone of `branch`, files written (null deletes,
 * executable sets the bit), a commit by "Team", pushed back. Returns the commit.
 */
export async function teamCommit(
  gitDir: string,
  branch: string,
  edits: Record<
    string,
    string | null | { content: string; executable?: boolean }
  >,
  message = 'Team edit',
): Promise<string> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-team-'));
  try {
    await runGit(['clone', '--quiet', '--branch', branch, gitDir, work]);
    for (const [file, value] of Object.entries(edits)) {
      const target = path.join(work, file);
      if (value === null) {
        await fs.rm(target);
        continue;
      }
      const { content, executable } =
        typeof value === 'string'
          ? { content: value, executable: false }
          : value;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content);
      await fs.chmod(target, executable ? 0o755 : 0o644);
    }
    await runGit(['-C', work, 'add', '--all', '.']);
    await runGit(['-C', work, 'commit', '--quiet', '-m', message], {
      env: TEAM,
    });
    await runGit(['-C', work, 'push', '--quiet', 'origin', `HEAD:${branch}`]);
    return await gitText(runGit, ['-C', work, 'rev-parse', 'HEAD']);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** A bare repository whose `main` holds `files` as one team commit. */
export async function bareRepository(
  root: string,
  files: Record<string, string | { content: string; executable?: boolean }>,
): Promise<{ gitDir: string; head: string }> {
  const gitDir = path.join(
    root,
    `repo-${Math.random().toString(36).slice(2)}.git`,
  );
  await runGit(['init', '--quiet', '--bare', '-b', 'main', gitDir]);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-first-'));
  try {
    await runGit(['init', '--quiet', '-b', 'main', work]);
    for (const [file, value] of Object.entries(files)) {
      const target = path.join(work, file);
      const { content, executable } =
        typeof value === 'string'
          ? { content: value, executable: false }
          : value;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content);
      await fs.chmod(target, executable ? 0o755 : 0o644);
    }
    await runGit(['-C', work, 'add', '--all', '.']);
    await runGit(['-C', work, 'commit', '--quiet', '-m', 'Initial'], {
      env: TEAM,
    });
    await runGit(['-C', work, 'push', '--quiet', gitDir, 'HEAD:main']);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return { gitDir, head: await revParse(gitDir, 'main') };
}
