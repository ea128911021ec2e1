import { randomBytes } from 'node:crypto';
import {
  ConflictSides,
  FileChange,
  FileChangeStatus,
} from '@paved/plugin-upgrades-common';
import { FileSet } from '../ports';
import { GitRunner, gitText, runGit } from './runGit';

/** Conflict sides larger than this are cut: the portal shows them, git keeps them whole. */
export const CONFLICT_SIDE_LIMIT = 256 * 1024;

/**
 * The template renders are committed with this fixed date (and identity) so that the
 * same renders always give the same commit ids: proposing again gives the same
 * merge, byte for byte.
 */
const RENDER_IDENTITY = 'Paved <upgrades@paved.local> 946684800 +0000';

export interface MergeUpgradeOptions {
  /** The repository (bare or a .git directory). */
  gitDir: string;
  /** The commit the team is on (the default branch's head). */
  ours: string;
  /** The template at the recorded version, rendered with the service's answers. */
  base: FileSet;
  /** The template at the new version, rendered with the same answers. */
  theirs: FileSet;
  message: string;
  author: { name: string; email: string };
  /** The branch commit's date; default now. Fixed dates make the commit id repeatable. */
  committedAt?: Date;
  git?: GitRunner;
}

export interface MergeUpgradeResult {
  /** The upgrade's commit: the merged tree, parent `ours`. Referenced by no branch yet. */
  commit: string;
  tree: string;
  /** The template renders' commits (theirs, whose parent is base): conflict sides come from them. */
  templateCommit: string;
  /** What the commit changes against `ours`, conflicted files flagged. */
  files: FileChange[];
  conflicts: Array<{ path: string } & ConflictSides>;
}

interface ConflictStages {
  1?: string;
  2?: string;
  3?: string;
}

/**
 * Applies the template's change (base → theirs) to the team's repository (ours)
 * with git's own three-way merge (merge-ort), so the team's edits are kept and
 * overlapping edits become conflicts with markers, exactly as `git merge` would.
 *
 * git 2.39's merge-tree has no `--merge-base`, so the base is made the merge base:
 * base is written as an orphan commit, theirs with parent base, and a throwaway
 * commit with ours' tree and parents [ours, base]; the merge base of that and
 * theirs is then base. All three in one `git fast-import`.
 */
export async function mergeUpgrade(
  options: MergeUpgradeOptions,
): Promise<MergeUpgradeResult> {
  const run = options.git ?? runGit;
  const gd = ['--git-dir', options.gitDir];

  const ours = await gitText(run, [
    ...gd,
    'rev-parse',
    '--verify',
    '--quiet',
    `${options.ours}^{commit}`,
  ]);

  // fast-import needs a ref to commit on; a private, unique one, deleted right after.
  const scratchRef = `refs/paved/scratch/${randomBytes(8).toString('hex')}`;
  let theirsCommit: string;
  let mergeable: string;
  try {
    const marks = await gitText(
      run,
      [...gd, 'fast-import', '--quiet', '--done'],
      {
        input: fastImportStream(scratchRef, ours, options.base, options.theirs),
      },
    );
    // :1 (base) is theirs' parent: only theirs and the throwaway are needed.
    [, theirsCommit, mergeable] = marks.split('\n');
  } finally {
    await run([...gd, 'update-ref', '-d', scratchRef]).catch(() => undefined);
  }

  const merged = await run(
    [...gd, 'merge-tree', '--write-tree', '-z', mergeable, theirsCommit],
    { okCodes: [1] },
  );
  const { tree, stages } = parseMergeTree(merged.stdout);

  const when = `@${Math.floor(
    (options.committedAt ?? new Date()).getTime() / 1000,
  )} +0000`;
  const commit = await gitText(
    run,
    [...gd, 'commit-tree', tree, '-p', ours, '-F', '-'],
    { input: options.message, env: identityEnv(options.author, when) },
  );

  const changed = await changedFiles(run, options.gitDir, ours, commit);
  for (const [path, stage] of stages) {
    if (!changed.has(path)) {
      // Conflicts git leaves as the team has them (modify/delete, binary files):
      // listed with what the template does to them.
      changed.set(path, stage[3] ? 'modified' : 'deleted');
    }
  }
  const files = [...changed.entries()]
    .map(([path, status]) => ({ path, status, conflicted: stages.has(path) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));

  const blobs = await readBlobs(
    run,
    options.gitDir,
    [...stages.values()].flatMap(s => [s[1], s[2], s[3]]),
  );
  const conflicts = [...stages.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, s]) => ({
      path,
      base: s[1] ? blobs.get(s[1]) : undefined,
      ours: s[2] ? blobs.get(s[2]) : undefined,
      theirs: s[3] ? blobs.get(s[3]) : undefined,
    }));

  return { commit, tree, templateCommit: theirsCommit, files, conflicts };
}

/** Marks :1 base, :2 theirs, :3 the throwaway [ours, base] commit; prints their ids. */
function fastImportStream(
  ref: string,
  ours: string,
  base: FileSet,
  theirs: FileSet,
): Buffer {
  const parts: Buffer[] = [];
  const line = (text: string) => parts.push(Buffer.from(`${text}\n`, 'utf8'));
  const data = (content: Buffer) => {
    line(`data ${content.length}`);
    parts.push(content);
    line('');
  };
  const commit = (mark: number, message: string) => {
    line(`commit ${ref}`);
    line(`mark :${mark}`);
    line(`committer ${RENDER_IDENTITY}`);
    data(Buffer.from(message, 'utf8'));
  };
  const files = (set: FileSet) => {
    for (const path of [...set.keys()].sort()) {
      const file = set.get(path)!;
      line(
        `M ${file.executable ? '100755' : '100644'} inline ${quotePath(path)}`,
      );
      data(file.content);
    }
  };

  commit(1, 'The template as recorded, rendered with the answers\n');
  // A fresh ref: no `from` makes it an orphan commit.
  files(base);
  commit(2, 'The template at the new version, rendered with the answers\n');
  line('from :1');
  line('deleteall');
  files(theirs);
  commit(3, 'The repository, with the recorded render as a parent\n');
  line(`from ${ours}`);
  line('merge :1');
  line('get-mark :1');
  line('get-mark :2');
  line('get-mark :3');
  line('done');
  return Buffer.concat(parts);
}

/** fast-import paths: reject what git would refuse or what escapes the tree. */
function quotePath(path: string): string {
  const segments = path.split('/');
  if (
    path.includes('\0') ||
    segments.some(
      s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git',
    )
  ) {
    throw new Error(
      `A rendered file has an invalid path: ${JSON.stringify(path)}`,
    );
  }
  if (!path.startsWith('"') && !path.includes('\n')) {
    return path;
  }
  return `"${path
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}

/**
 * `merge-tree --write-tree -z`: the tree id, then (on conflicts) one
 * `<mode> <oid> <stage>\t<path>` entry per conflicted stage, an empty entry, and
 * informational messages (ignored: the stages say everything needed).
 */
export function parseMergeTree(output: Buffer): {
  tree: string;
  stages: Map<string, ConflictStages>;
} {
  const entries = output.toString('utf8').split('\0');
  const tree = entries[0].trim();
  const stages = new Map<string, ConflictStages>();
  for (const entry of entries.slice(1)) {
    const match = /^\d{6} ([0-9a-f]{40,64}) ([123])\t([\s\S]+)$/.exec(entry);
    if (!match) {
      break;
    }
    const [, oid, stage, path] = match;
    const sides = stages.get(path) ?? {};
    sides[Number(stage) as 1 | 2 | 3] = oid;
    stages.set(path, sides);
  }
  return { tree, stages };
}

async function changedFiles(
  run: GitRunner,
  gitDir: string,
  from: string,
  to: string,
): Promise<Map<string, FileChangeStatus>> {
  const { stdout } = await run([
    '--git-dir',
    gitDir,
    'diff-tree',
    '-r',
    '-z',
    '--no-renames',
    '--name-status',
    from,
    to,
  ]);
  const fields = stdout.toString('utf8').split('\0');
  const changed = new Map<string, FileChangeStatus>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i];
    if (!status) break;
    changed.set(fields[i + 1], fileStatus(status));
  }
  return changed;
}

/** Blobs as text (cut at {@link CONFLICT_SIDE_LIMIT}); binary blobs are left out. */
export async function readBlobs(
  run: GitRunner,
  gitDir: string,
  oids: Array<string | undefined>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(oids.filter((o): o is string => Boolean(o)))];
  const texts = new Map<string, string>();
  if (wanted.length === 0) {
    return texts;
  }
  const { stdout } = await run(['--git-dir', gitDir, 'cat-file', '--batch'], {
    input: `${wanted.join('\n')}\n`,
  });
  let offset = 0;
  while (offset < stdout.length) {
    const newline = stdout.indexOf(0x0a, offset);
    const [oid, type, size] = stdout
      .subarray(offset, newline)
      .toString('utf8')
      .split(' ');
    if (type === 'missing' || size === undefined) {
      offset = newline + 1;
      continue;
    }
    const length = Number(size);
    const content = stdout.subarray(newline + 1, newline + 1 + length);
    offset = newline + 1 + length + 1;
    if (!isBinary(content)) {
      texts.set(oid, content.subarray(0, CONFLICT_SIDE_LIMIT).toString('utf8'));
    }
  }
  return texts;
}

/** git's own heuristic: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** Author and committer of commits Paved writes. */
export function identityEnv(
  author: { name: string; email: string },
  when: string,
): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_COMMITTER_DATE: when,
  };
}

/** git's name-status letter as a change's file status (type changes count as modified). */
export function fileStatus(letter: string): FileChangeStatus {
  if (letter === 'A') return 'added';
  if (letter === 'D') return 'deleted';
  return 'modified';
}
