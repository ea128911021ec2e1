import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { git } from './git';

/** Same rule as GitHub's repository names, minus the characters that need quoting. */
const REPOSITORY_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

const DEFAULT_DIRECTORY = '../../.paved/data/repositories';

/** Git config key in each bare repository naming the scaffolder task that made it. */
const CREATED_BY_KEY = 'paved.createdBy';

/** What {@link LocalRepositories.publish} pushes and records. */
export interface PublishOptions {
  name: string;
  /** Directory whose files become the first commit (e.g. a scaffolder workspace). */
  sourceDir: string;
  description?: string;
  defaultBranch?: string;
  commitMessage?: string;
  author?: { name: string; email: string };
  /**
   * Who publishes (e.g. the scaffolder task id). Publishing again with the same id
   * resumes or repeats harmlessly; anyone else finds the name taken.
   */
  createdBy: string;
}

/** Where a published repository is. */
export interface PublishedRepository {
  remoteUrl: string;
  defaultBranch: string;
  commitHash: string;
}

/**
 * Git repositories in the portal's data folder: a publish target that needs no
 * GitHub, no GitLab and no network, so that golden paths work on a fresh machine.
 *
 * Layout under the configured directory:
 * - `repositories/<name>.git`: bare repositories; developers clone them by `file://` URL;
 * - `checkouts/<name>`: the portal's read-only working copies of the default branch.
 *   A repository is in the catalog exactly when it has a checkout (see
 *   {@link LocalRepositories.checkout}); the catalog module for local repositories
 *   registers each checkout's `catalog-info.yaml` as a `file` location, which is also
 *   where TechDocs' `dir:.` is resolved from.
 *
 * Every step writes into a temporary name and renames it into place, so a crash
 * never leaves a half-made repository or checkout under its real name.
 */
export class LocalRepositories {
  static fromConfig(config: Config): LocalRepositories {
    const directory =
      config.getOptionalString('paved.localRepositories.directory') ??
      DEFAULT_DIRECTORY;
    return new LocalRepositories(path.resolve(directory));
  }

  constructor(readonly directory: string) {}

  /** Throws an InputError naming `field` unless `name` can be a repository name. */
  validateName(name: string, field = 'repoName'): void {
    if (!REPOSITORY_NAME.test(name) || name.includes('..')) {
      throw new InputError(
        `${field} '${name}' is not a valid repository name: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters`,
      );
    }
  }

  private repositoryPath(name: string): string {
    this.validateName(name);
    return path.join(this.directory, 'repositories', `${name}.git`);
  }

  private checkoutPath(name: string): string {
    this.validateName(name);
    return path.join(this.directory, 'checkouts', name);
  }

  remoteUrl(name: string): string {
    return pathToFileURL(this.repositoryPath(name)).href;
  }

  /** The `file://` URL of a file in the portal's checkout of `name`. */
  checkoutFileUrl(name: string, file = 'catalog-info.yaml'): string {
    return pathToFileURL(path.join(this.checkoutPath(name), file)).href;
  }

  /**
   * The repository name of a `file://` URL that points into a checkout here, or
   * undefined when the URL is anything else.
   */
  nameOfCheckoutUrl(url: string): string | undefined {
    if (!url.startsWith('file:')) {
      return undefined;
    }
    const relative = path.relative(
      path.join(this.directory, 'checkouts'),
      fileURLToPath(url),
    );
    const [name, ...rest] = relative.split(path.sep);
    if (!name || name.startsWith('..') || rest.length === 0) {
      return undefined;
    }
    return REPOSITORY_NAME.test(name) ? name : undefined;
  }

  async exists(name: string): Promise<boolean> {
    return pathExists(this.repositoryPath(name));
  }

  /**
   * Whether the portal has a checkout of `name` (so the repository is in the
   * catalog through it). Sample repositories have none on purpose: their entities
   * come from elsewhere, and a checkout would register them a second time.
   */
  async hasCheckout(name: string): Promise<boolean> {
    return pathExists(this.checkoutPath(name));
  }

  /**
   * Creates the bare repository `name` and pushes the files of `sourceDir` as its
   * first commit. Idempotent for the same `createdBy`: a publish that crashed
   * half-way is completed, one that finished returns the same commit. A name taken
   * by anyone else is a ConflictError.
   */
  async publish(options: PublishOptions): Promise<PublishedRepository> {
    const { name, createdBy } = options;
    const defaultBranch = options.defaultBranch ?? 'main';
    const repository = this.repositoryPath(name);

    if (await pathExists(repository)) {
      if ((await creatorOf(repository)) !== createdBy) {
        throw new ConflictError(
          `A repository named '${name}' already exists; choose another name`,
        );
      }
      const head = await git([
        '--git-dir',
        repository,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${defaultBranch}`,
      ]).catch(() => '');
      if (head) {
        return {
          remoteUrl: this.remoteUrl(name),
          defaultBranch,
          commitHash: head,
        };
      }
    } else {
      await this.createBare(repository, options, defaultBranch);
    }

    const commitHash = await this.pushFirstCommit(
      repository,
      options,
      defaultBranch,
    );
    return { remoteUrl: this.remoteUrl(name), defaultBranch, commitHash };
  }

  private async createBare(
    repository: string,
    options: PublishOptions,
    defaultBranch: string,
  ) {
    await fs.mkdir(path.dirname(repository), { recursive: true });
    const staging = `${repository}.tmp-${randomBytes(4).toString('hex')}`;
    await git(['init', '--quiet', '--bare', '-b', defaultBranch, staging]);
    await git([
      '--git-dir',
      staging,
      'config',
      CREATED_BY_KEY,
      options.createdBy,
    ]);
    if (options.description) {
      await fs.writeFile(
        path.join(staging, 'description'),
        `${options.description}\n`,
      );
    }
    try {
      await fs.rename(staging, repository);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw new ConflictError(
        `A repository named '${options.name}' already exists; choose another name`,
        error,
      );
    }
  }

  /** Commits `sourceDir` with a throwaway git dir, so the source is left untouched. */
  private async pushFirstCommit(
    repository: string,
    options: PublishOptions,
    defaultBranch: string,
  ): Promise<string> {
    const gitDir = await fs.mkdtemp(
      path.join(path.dirname(repository), '.push-'),
    );
    const author = options.author ?? {
      name: 'Paved Scaffolder',
      email: 'scaffolder@paved.local',
    };
    const base = ['--git-dir', gitDir, '--work-tree', options.sourceDir];
    try {
      await git([...base, 'init', '--quiet', '-b', defaultBranch]);
      await git([...base, 'add', '--all', '.']);
      await git([
        ...base,
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'commit',
        '--quiet',
        '--no-verify',
        '-m',
        options.commitMessage ?? 'Initial commit',
      ]);
      await git([
        ...base,
        'push',
        '--quiet',
        repository,
        `HEAD:refs/heads/${defaultBranch}`,
      ]);
      return await git([...base, 'rev-parse', 'HEAD']);
    } finally {
      await fs.rm(gitDir, { recursive: true, force: true });
    }
  }

  /**
   * Makes (or fast-forwards) the portal's checkout of `name`, which puts the
   * repository in the catalog. Returns the checkout directory.
   */
  async checkout(name: string): Promise<string> {
    const repository = this.repositoryPath(name);
    const checkout = this.checkoutPath(name);
    if (!(await pathExists(repository))) {
      throw new NotFoundError(`No repository named '${name}'`);
    }
    if (await pathExists(checkout)) {
      await git(['-C', checkout, 'pull', '--quiet', '--ff-only']);
      return checkout;
    }
    await fs.mkdir(path.dirname(checkout), { recursive: true });
    const staging = `${path.dirname(checkout)}/.clone-${name}-${randomBytes(
      4,
    ).toString('hex')}`;
    try {
      await git(['clone', '--quiet', repository, staging]);
      await fs.rename(staging, checkout);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      if (await pathExists(checkout)) {
        // Someone else (a resumed task) made it meanwhile: that is the same result.
        return checkout;
      }
      throw error;
    }
    return checkout;
  }

  /** Takes a repository out of the catalog by removing its checkout (the repository stays). */
  async removeCheckout(name: string): Promise<void> {
    // Renamed away first, so the catalog never reads a half-deleted checkout.
    const checkout = this.checkoutPath(name);
    const doomed = `${path.dirname(checkout)}/.removed-${name}-${randomBytes(
      4,
    ).toString('hex')}`;
    try {
      await fs.rename(checkout, doomed);
    } catch {
      return;
    }
    await fs.rm(doomed, { recursive: true, force: true });
  }

  /**
   * Deletes the repository and its checkout, but only when `createdBy` made it: a
   * golden path that fails after publishing takes back what it created, so running
   * it again with the same name works. Returns whether anything was deleted.
   */
  async discard(name: string, createdBy: string): Promise<boolean> {
    const repository = this.repositoryPath(name);
    if ((await creatorOf(repository)) !== createdBy) {
      return false;
    }
    await this.removeCheckout(name);
    const doomed = `${repository}.discarded-${randomBytes(4).toString('hex')}`;
    await fs.rename(repository, doomed);
    await fs.rm(doomed, { recursive: true, force: true });
    return true;
  }

  /** Names of the repositories that have a checkout with a `catalog-info.yaml`. */
  async listCheckouts(): Promise<string[]> {
    const root = path.join(this.directory, 'checkouts');
    const entries = await fs
      .readdir(root, { withFileTypes: true })
      .catch(() => []);
    const names: string[] = [];
    for (const entry of entries) {
      if (
        entry.isDirectory() &&
        REPOSITORY_NAME.test(entry.name) &&
        (await pathExists(path.join(root, entry.name, 'catalog-info.yaml')))
      ) {
        names.push(entry.name);
      }
    }
    return names.sort();
  }

  /** The absolute path of a checkout's `catalog-info.yaml`. */
  catalogInfoPath(name: string): string {
    return path.join(this.checkoutPath(name), 'catalog-info.yaml');
  }
}

/** Who created a bare repository (its `paved.createdBy`), if it exists and says. */
async function creatorOf(repository: string): Promise<string | undefined> {
  return git([
    '--git-dir',
    repository,
    'config',
    '--get',
    CREATED_BY_KEY,
  ]).catch(() => undefined);
}

async function pathExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
