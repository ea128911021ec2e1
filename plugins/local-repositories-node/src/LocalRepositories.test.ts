import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { LocalRepositories } from './LocalRepositories';
import { git } from './git';

describe('LocalRepositories (with the real git)', () => {
  let root: string;
  let source: string;
  let repositories: LocalRepositories;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-repos-'));
    source = path.join(root, 'workspace');
    await fs.mkdir(path.join(source, 'docs'), { recursive: true });
    await fs.writeFile(
      path.join(source, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await fs.writeFile(path.join(source, 'docs', 'index.md'), '# Hello\n');
    repositories = new LocalRepositories(path.join(root, 'data'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('publishes the files as the first commit of a bare repository that clones', async () => {
    const published = await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      description: 'Orders',
      createdBy: 'task-1',
    });
    expect(published.remoteUrl).toMatch(
      /^file:\/\/.*\/repositories\/orders-api\.git$/,
    );
    expect(published.defaultBranch).toBe('main');

    const clone = path.join(root, 'clone');
    await git(['clone', '--quiet', published.remoteUrl, clone]);
    expect(
      await fs.readFile(path.join(clone, 'docs', 'index.md'), 'utf8'),
    ).toBe('# Hello\n');
    expect(await git(['-C', clone, 'rev-parse', 'HEAD'])).toBe(
      published.commitHash,
    );
    // The source is left as it was: no .git was added to the workspace.
    await expect(fs.access(path.join(source, '.git'))).rejects.toThrow();
  });

  it('publishing again for the same task returns the same commit; another task finds the name taken', async () => {
    const first = await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-1',
    });
    const again = await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-1',
    });
    expect(again.commitHash).toBe(first.commitHash);
    await expect(
      repositories.publish({
        name: 'orders-api',
        sourceDir: source,
        createdBy: 'task-2',
      }),
    ).rejects.toThrow(
      "A repository named 'orders-api' already exists; choose another name",
    );
    expect(await repositories.exists('orders-api')).toBe(true);
    expect(await repositories.exists('payments-api')).toBe(false);
  });

  it('completes a publish that crashed after creating the repository', async () => {
    const bare = path.join(root, 'data', 'repositories', 'orders-api.git');
    await fs.mkdir(path.dirname(bare), { recursive: true });
    await git(['init', '--quiet', '--bare', '-b', 'main', bare]);
    await git(['--git-dir', bare, 'config', 'paved.createdBy', 'task-1']);

    const published = await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-1',
    });
    expect(await git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(
      published.commitHash,
    );
  });

  it('lists only repositories with a checkout, and maps checkout URLs back to names', async () => {
    await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 't',
    });
    await repositories.publish({
      name: 'unlisted',
      sourceDir: source,
      createdBy: 't',
    });
    expect(await repositories.listCheckouts()).toEqual([]);
    expect(await repositories.hasCheckout('orders-api')).toBe(false);

    const checkout = await repositories.checkout('orders-api');
    expect(await repositories.hasCheckout('orders-api')).toBe(true);
    expect(await repositories.hasCheckout('unlisted')).toBe(false);
    expect(
      await fs.readFile(path.join(checkout, 'catalog-info.yaml'), 'utf8'),
    ).toBe('kind: Component\n');
    // Checking out again is harmless (a resumed task).
    await repositories.checkout('orders-api');
    expect(await repositories.listCheckouts()).toEqual(['orders-api']);

    const url = repositories.checkoutFileUrl('orders-api');
    expect(repositories.nameOfCheckoutUrl(url)).toBe('orders-api');
    expect(
      repositories.nameOfCheckoutUrl('file:///etc/passwd'),
    ).toBeUndefined();
    expect(
      repositories.nameOfCheckoutUrl('https://github.com/acme/x'),
    ).toBeUndefined();
  });

  it('discards a repository only for the one who created it', async () => {
    await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-1',
    });
    await repositories.checkout('orders-api');
    expect(await repositories.discard('orders-api', 'task-2')).toBe(false);
    expect(await repositories.exists('orders-api')).toBe(true);
    expect(await repositories.discard('orders-api', 'task-1')).toBe(true);
    expect(await repositories.exists('orders-api')).toBe(false);
    expect(await repositories.listCheckouts()).toEqual([]);
    // The name is free again.
    await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-3',
    });
  });

  it('refuses names that could escape the folder, naming the field', async () => {
    const invalid = ['../evil', 'Orders', '', '.hidden', 'a'.repeat(101)];
    const validate = (name: string) => () => repositories.validateName(name);
    for (const name of invalid) {
      expect(validate(name)).toThrow(
        /^repoName '.*' is not a valid repository name/,
      );
    }
    await expect(repositories.checkout('missing')).rejects.toThrow(
      "No repository named 'missing'",
    );
  });

  it('reads its folder from config, relative to the working directory', () => {
    const fromConfig = LocalRepositories.fromConfig(
      new ConfigReader({
        paved: { localRepositories: { directory: 'some/dir' } },
      }),
    );
    expect(fromConfig.directory).toBe(path.resolve('some/dir'));
  });
});
