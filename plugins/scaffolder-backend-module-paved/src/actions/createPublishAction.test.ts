import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { LocalPublishTarget } from '../publish/LocalPublishTarget';
import { createPublishAction } from './createPublishAction';

describe('paved:publish to the local repositories (real git)', () => {
  let root: string;
  let workspacePath: string;
  let repositories: LocalRepositories;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-publish-'));
    workspacePath = path.join(root, 'workspace');
    await fs.mkdir(workspacePath);
    await fs.writeFile(path.join(workspacePath, 'README.md'), '# orders-api\n');
    repositories = new LocalRepositories(path.join(root, 'data'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const action = () =>
    createPublishAction({
      target: new LocalPublishTarget(repositories, 'main'),
    });

  it('creates a repository that clones with the workspace files, and outputs its URLs', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { repoName: 'orders-api', description: 'Orders' },
      templateInfo: { entityRef: 'template:default/typescript-service' },
    });
    await action().handler(ctx);

    const remoteUrl = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'remoteUrl',
    )[1];
    expect(remoteUrl).toBe(repositories.remoteUrl('orders-api'));
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      repositories.checkoutFileUrl('orders-api'),
    );
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '--quiet', remoteUrl, clone]);
    expect(await fs.readFile(path.join(clone, 'README.md'), 'utf8')).toBe(
      '# orders-api\n',
    );
    expect(
      execFileSync('git', ['-C', clone, 'log', '--format=%s']).toString(),
    ).toContain('Create orders-api from template:default/typescript-service');
  });

  it('a dry run says where it would publish and creates nothing', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { repoName: 'orders-api' },
    });
    await action().handler({ ...ctx, isDryRun: true });
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      repositories.remoteUrl('orders-api'),
    );
    expect(await repositories.exists('orders-api')).toBe(false);
  });

  it('a second task with the same name is refused; the first one re-running is not', async () => {
    const first = createMockActionContext({
      workspacePath,
      input: { repoName: 'orders-api' },
      task: { id: 'task-1' },
    });
    await action().handler(first);
    await action().handler(first);
    await expect(
      action().handler(
        createMockActionContext({
          workspacePath,
          input: { repoName: 'orders-api' },
          task: { id: 'task-2' },
        }),
      ),
    ).rejects.toThrow(
      "A repository named 'orders-api' already exists; choose another name",
    );
  });
});
