import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, isError } from '@backstage/errors';
import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  GOLDEN_PATH_FILE,
  GoldenPathAnswers,
  parseGoldenPathFile,
} from '@paved/plugin-upgrades-common';
import { mergeUpgrade } from '../../git/mergeUpgrade';
import { GitRunner, gitText, runGit } from '../../git/runGit';
import {
  BranchState,
  ChangeTarget,
  ProposedChange,
  ProposedResult,
  ServiceRepository,
} from '../../ports';

const SOURCE_LOCATION = 'backstage.io/source-location';

/** The actions log through ctx.logger; without a logger given, nowhere. */
const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

/** `paved.scaffolder.publish.<github|gitlab>` and the default branch, as golden paths publish. */
export interface ScmChangeSettings {
  /** e.g. github.com or gitlab.example.com */
  host: string;
  /** The organization or group golden paths publish to (informational here). */
  owner: string;
  /** Used when the entity's source location names no branch. */
  defaultBranch: string;
}

/** How one hosted service names its URLs and runs its request action. */
export interface ScmChangeFlavour {
  kind: 'github' | 'gitlab';
  name: 'GitHub' | 'GitLab';
  /** The owner/repo path and branch of a source-location URL's path, if it is a repository's. */
  parsePath(pathname: string): { repo: string; branch?: string } | undefined;
  fileUrl(repoUrl: string, branch: string, file: string): string;
  treeUrl(repoUrl: string, branch: string): string;
  /** Where people find the request of a branch (merge and close happen there). */
  requestsUrl(repoUrl: string, branch: string): string;
  actionInput(request: ActionRequest): JsonObject;
  /** The request's URL from the action's outputs. */
  requestUrl(outputs: Record<string, JsonValue>): string | undefined;
}

interface ActionRequest {
  host: string;
  /** owner/repo; GitLab owners may be nested groups. */
  name: string;
  branch: string;
  targetBranch: string;
  title: string;
  description: string;
  deleted: string[];
  author: { name: string; email: string };
}

function repoUrlInput(host: string, name: string): string {
  const slash = name.lastIndexOf('/');
  const query = new URLSearchParams({
    owner: name.slice(0, slash),
    repo: name.slice(slash + 1),
  });
  return `${host}?${query}`;
}

const stripGit = (repo: string) => repo.replace(/\.git$/, '');

export const githubChangeFlavour: ScmChangeFlavour = {
  kind: 'github',
  name: 'GitHub',
  parsePath(pathname) {
    const [owner, repo, kind, branch] = pathname.split('/').filter(Boolean);
    if (!owner || !repo) return undefined;
    return {
      repo: `${owner}/${stripGit(repo)}`,
      branch: kind === 'tree' || kind === 'blob' ? branch : undefined,
    };
  },
  fileUrl: (repoUrl, branch, file) => `${repoUrl}/blob/${branch}/${file}`,
  treeUrl: (repoUrl, branch) => `${repoUrl}/tree/${branch}`,
  requestsUrl: (repoUrl, branch) =>
    `${repoUrl}/pulls?q=${encodeURIComponent(`is:pr head:${branch}`)}`,
  actionInput: r => ({
    repoUrl: repoUrlInput(r.host, r.name),
    branchName: r.branch,
    targetBranchName: r.targetBranch,
    title: r.title,
    description: r.description,
    commitMessage: r.title,
    // Proposing again (a crash, a refresh) updates the same pull request.
    update: true,
    ...(r.deleted.length ? { filesToDelete: r.deleted } : {}),
    gitAuthorName: r.author.name,
    gitAuthorEmail: r.author.email,
  }),
  requestUrl: outputs =>
    typeof outputs.remoteUrl === 'string' ? outputs.remoteUrl : undefined,
};

export const gitlabChangeFlavour: ScmChangeFlavour = {
  kind: 'gitlab',
  name: 'GitLab',
  parsePath(pathname) {
    // Groups nest (group/sub/project); a project's pages are under /-/.
    const [project, rest = ''] = pathname.split('/-/');
    const segments = project.split('/').filter(Boolean);
    if (segments.length < 2) return undefined;
    const [kind, branch] = rest.split('/').filter(Boolean);
    return {
      repo: stripGit(segments.join('/')),
      branch: kind === 'tree' || kind === 'blob' ? branch : undefined,
    };
  },
  fileUrl: (repoUrl, branch, file) => `${repoUrl}/-/blob/${branch}/${file}`,
  treeUrl: (repoUrl, branch) => `${repoUrl}/-/tree/${branch}`,
  requestsUrl: (repoUrl, branch) =>
    `${repoUrl}/-/merge_requests?${new URLSearchParams({
      source_branch: branch,
    })}`,
  actionInput: r => ({
    repoUrl: repoUrlInput(r.host, r.name),
    branchName: r.branch,
    targetBranchName: r.targetBranch,
    title: r.title,
    // publish:gitlab:merge-request applies one commit action to every file of the
    // workspace (create/update, or delete): it cannot delete some files and write
    // others in one request, so deletions are listed for the team to make.
    description: r.deleted.length
      ? `${
          r.description
        }\n\n### Files to delete\n\nThe new template version no longer has these files; GitLab's merge request action cannot delete them in the same commit, so delete them on this branch:\n\n${r.deleted
          .map(f => `- \`${f}\``)
          .join('\n')}\n`
      : r.description,
    commitAction: 'auto',
  }),
  requestUrl: outputs =>
    typeof outputs.mergeRequestUrl === 'string'
      ? outputs.mergeRequestUrl
      : undefined,
};

/** What the SCM target needs besides its settings. */
export interface ScmChangeTargetOptions {
  flavour: ScmChangeFlavour;
  settings: ScmChangeSettings;
  urlReader: UrlReaderService;
  /** publish:github:pull-request or publish:gitlab:merge-request (or a stand-in). */
  action: TemplateAction<any, any, any>;
  logger?: LoggerService;
  git?: GitRunner;
}

/**
 * Change requests as GitHub pull requests or GitLab merge requests. The merge is
 * computed here, with git, on a copy of the default branch read through the
 * UrlReader (the integrations' credentials), and the result is sent by Backstage's
 * own `publish:github:pull-request` / `publish:gitlab:merge-request` action, so the
 * credentials and hosts stay configured as those modules document.
 *
 * The host is the source of truth once the request exists: merging and closing
 * happen there (merge and close answer NotAllowedError with where), and the state
 * on the host is not read back (inspect answers `{known: false}`, so a change
 * keeps the state, files and conflicts recorded by its proposal).
 */
export class ScmChangeTarget implements ChangeTarget {
  readonly kind: 'github' | 'gitlab';
  private readonly run: GitRunner;

  constructor(private readonly options: ScmChangeTargetOptions) {
    this.kind = options.flavour.kind;
    this.run = options.git ?? runGit;
  }

  async locate(entity: Entity): Promise<ServiceRepository> {
    const { flavour, settings } = this.options;
    const ref = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
      entity.metadata.name
    }`;
    const location = entity.metadata.annotations?.[SOURCE_LOCATION];
    if (!location) {
      throw new InputError(
        `${ref} has no ${SOURCE_LOCATION} annotation: no repository to propose the upgrade to`,
      );
    }
    let url: URL | undefined;
    try {
      url = new URL(location.replace(/^url:/, ''));
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new InputError(
        `${ref}: ${SOURCE_LOCATION} '${location}' is not a ${flavour.name} URL`,
      );
    }
    if (url.host.toLocaleLowerCase('en-US') !== settings.host.toLowerCase()) {
      throw new InputError(
        `${ref}: its repository is on ${url.host}, but upgrades are proposed on ${flavour.name} at ${settings.host} (paved.scaffolder.publish)`,
      );
    }
    const parsed = flavour.parsePath(decodeURIComponent(url.pathname));
    if (!parsed) {
      throw new InputError(
        `${ref}: ${SOURCE_LOCATION} '${location}' names no repository`,
      );
    }
    return {
      target: flavour.kind,
      name: parsed.repo,
      url: `https://${settings.host}/${parsed.repo}`,
      defaultBranch: parsed.branch ?? settings.defaultBranch,
    };
  }

  async readAnswers(
    repository: ServiceRepository,
  ): Promise<{ head: string; answers?: GoldenPathAnswers }> {
    const url = this.options.flavour.fileUrl(
      repository.url,
      repository.defaultBranch,
      GOLDEN_PATH_FILE,
    );
    let content: Buffer;
    let etag: string | undefined;
    try {
      const response = await this.options.urlReader.readUrl(url);
      content = await response.buffer();
      etag = response.etag;
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        // No golden-path file: the caller falls back to the entity's annotations.
        // Not a commit id: the file's URL stands for "read, nothing there".
        return { head: `absent:${sha1(url)}` };
      }
      throw error;
    }
    // The hosts' file reads do not say the commit: the etag (or the content's
    // hash) tells one version of the file from another, which is what it is for.
    const head = etag ?? sha1(content);
    try {
      return { head, answers: parseGoldenPathFile(content.toString('utf8')) };
    } catch (error) {
      throw new InputError(
        `${repository.name}: ${(error as Error).message} (${url})`,
      );
    }
  }

  async propose(
    repository: ServiceRepository,
    change: ProposedChange,
  ): Promise<ProposedResult> {
    const { flavour, settings, urlReader } = this.options;
    const tree = await urlReader.readTree(
      flavour.treeUrl(repository.url, repository.defaultBranch),
    );
    const ours = new Map<string, Buffer>();
    for (const file of await tree.files()) {
      ours.set(file.path.replace(/^\.\//, ''), await file.content());
    }

    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-upgrade-'));
    try {
      const gitDir = path.join(tmp, 'repo.git');
      await this.run(['init', '--bare', '--quiet', gitDir]);
      const oursCommit = await this.importOurs(gitDir, ours, tree.etag);
      const merged = await mergeUpgrade({
        gitDir,
        ours: oursCommit,
        base: change.base,
        theirs: change.theirs,
        message: change.title,
        author: change.author,
        // Same inputs, same commit: proposing again is repeatable.
        committedAt: new Date(0),
        git: this.run,
      });

      const workspace = path.join(tmp, 'workspace');
      await fs.mkdir(workspace);
      const deleted: string[] = [];
      for (const file of merged.files) {
        if (file.status === 'deleted') {
          deleted.push(file.path);
          continue;
        }
        await this.writeFile(gitDir, merged.commit, file.path, workspace);
      }

      let url: string | undefined;
      if (merged.files.length > 0) {
        url = await this.runAction(workspace, {
          host: settings.host,
          name: repository.name,
          branch: change.branch,
          targetBranch: repository.defaultBranch,
          title: change.title,
          description: change.body,
          deleted,
          author: change.author,
        });
      }
      return {
        baseCommit: tree.etag,
        // The commit as computed here; the host's commit on the branch has its
        // own id (the action writes the same files with the host's API).
        headCommit: merged.commit,
        url: url ?? flavour.requestsUrl(repository.url, change.branch),
        files: merged.files,
        conflicts: merged.conflicts,
      };
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  async inspect(): Promise<BranchState> {
    // The host's state (the team's pushes, the request merged or closed there) is
    // not read back: the change keeps its recorded state, files and conflicts.
    return { known: false };
  }

  async merge(
    repository: ServiceRepository,
    branch: string,
  ): Promise<{ commit: string }> {
    throw new NotAllowedError(
      `Merge it on ${
        this.options.flavour.name
      }: ${this.options.flavour.requestsUrl(repository.url, branch)}`,
    );
  }

  async close(repository: ServiceRepository, branch: string): Promise<void> {
    throw new NotAllowedError(
      `Close it on ${
        this.options.flavour.name
      }: ${this.options.flavour.requestsUrl(repository.url, branch)}`,
    );
  }

  async diff(repository: ServiceRepository, branch: string): Promise<never> {
    throw new NotAllowedError(
      `The diff is on ${
        this.options.flavour.name
      }: ${this.options.flavour.requestsUrl(repository.url, branch)}`,
    );
  }

  /** The default branch as read, as one commit (its files only; history is not needed). */
  private async importOurs(
    gitDir: string,
    files: Map<string, Buffer>,
    etag: string,
  ): Promise<string> {
    const parts: Buffer[] = [];
    const line = (text: string) => parts.push(Buffer.from(`${text}\n`));
    const data = (content: Buffer) => {
      line(`data ${content.length}`);
      parts.push(content, Buffer.from('\n'));
    };
    line('commit refs/heads/ours');
    line('mark :1');
    line('committer Paved <upgrades@paved.local> 0 +0000');
    data(Buffer.from(`The default branch as read (${etag})\n`));
    for (const name of [...files.keys()].sort()) {
      assertSafePath(name);
      // The UrlReader's trees do not say which files are executable.
      line(`M 100644 inline ${name}`);
      data(files.get(name)!);
    }
    line('get-mark :1');
    line('done');
    return gitText(
      this.run,
      ['--git-dir', gitDir, 'fast-import', '--quiet', '--done'],
      { input: Buffer.concat(parts) },
    );
  }

  private async writeFile(
    gitDir: string,
    commit: string,
    file: string,
    workspace: string,
  ) {
    assertSafePath(file);
    const { stdout } = await this.run([
      '--git-dir',
      gitDir,
      'cat-file',
      'blob',
      `${commit}:${file}`,
    ]);
    const mode = await gitText(this.run, [
      '--git-dir',
      gitDir,
      'ls-tree',
      '--format=%(objectmode)',
      commit,
      '--',
      file,
    ]);
    const target = path.join(workspace, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, stdout, {
      mode: mode === '100755' ? 0o755 : 0o644,
    });
  }

  private async runAction(
    workspacePath: string,
    request: ActionRequest,
  ): Promise<string | undefined> {
    const outputs: Record<string, JsonValue> = {};
    const logger = this.options.logger ?? silentLogger;
    const ctx: ActionContext<JsonObject, JsonObject> = {
      logger,
      workspacePath,
      input: this.options.flavour.actionInput(request),
      // Not a scaffolder task: nothing to resume, so every step runs.
      checkpoint: async ({ fn }) => fn(),
      output: (name, value) => {
        outputs[name as string] = value as JsonValue;
      },
      createTemporaryDirectory: () =>
        fs.mkdtemp(path.join(workspacePath, '..', 'action-')),
      getInitiatorCredentials: async () => {
        // These actions use the integrations' credentials, never the initiator's.
        throw new Error('Template upgrades run no actions on behalf of a user');
      },
      task: { id: `paved-upgrade:${request.name}:${request.branch}` },
      isDryRun: false,
    };
    await this.options.action.handler(ctx);
    return this.options.flavour.requestUrl(outputs);
  }
}

function sha1(content: string | Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

/** Paths from a host or a merge: refuse what could escape the workspace. */
function assertSafePath(file: string) {
  const segments = file.split('/');
  if (
    /[\0\n"]/.test(file) ||
    segments.some(s => s === '' || s === '.' || s === '..')
  ) {
    throw new InputError(`Refusing the file path ${JSON.stringify(file)}`);
  }
}
