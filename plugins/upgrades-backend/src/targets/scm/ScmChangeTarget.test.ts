import fs from 'node:fs/promises';
import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyGoldenPathFile } from '@paved/plugin-upgrades-common';
import { ChangeTarget, FileSet, ProposedChange } from '../../ports';
import {
  githubChangeFlavour,
  gitlabChangeFlavour,
  ScmChangeTarget,
} from './ScmChangeTarget';

const files = (entries: Record<string, string>): FileSet =>
  new Map(
    Object.entries(entries).map(([p, text]) => [
      p,
      { content: Buffer.from(text) },
    ]),
  );

/** A stand-in UrlReader: files by URL, trees by URL; nothing calls the internet. */
function fakeReader(options: {
  urls?: Record<string, { text: string; etag?: string }>;
  trees?: Record<string, { files: Record<string, string>; etag: string }>;
}) {
  const read: string[] = [];
  const reader: UrlReaderService = {
    async readUrl(url) {
      read.push(url);
      const file = options.urls?.[url];
      if (!file) throw new NotFoundError(`${url} not found`);
      return {
        buffer: async () => Buffer.from(file.text),
        etag: file.etag,
      } as any;
    },
    async readTree(url) {
      read.push(url);
      const tree = options.trees?.[url];
      if (!tree) throw new NotFoundError(`${url} not found`);
      return {
        etag: tree.etag,
        files: async () =>
          Object.entries(tree.files).map(([p, text]) => ({
            path: p,
            content: async () => Buffer.from(text),
          })),
      } as any;
    },
    async search() {
      throw new Error('not used');
    },
  };
  return { reader, read };
}

/** Stands in for publish:github:pull-request / publish:gitlab:merge-request. */
function recordingAction(outputs: Record<string, string>) {
  const runs: Array<{ input: any; workspace: Record<string, string> }> = [];
  const action = createTemplateAction({
    id: 'publish:fake:request',
    async handler(ctx) {
      runs.push({
        input: ctx.input,
        workspace: await readDir(ctx.workspacePath),
      });
      for (const [name, value] of Object.entries(outputs)) {
        ctx.output(name as any, value as any);
      }
    },
  });
  return { action, runs };
}

async function readDir(
  root: string,
  prefix = '',
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(path.join(root, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, await readDir(root, rel));
    else out[rel] = await fs.readFile(path.join(root, rel), 'utf8');
  }
  return out;
}

const component = (location?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: location
      ? { 'backstage.io/source-location': location }
      : undefined,
  },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
});

const settings = { host: 'github.com', owner: 'acme', defaultBranch: 'main' };

// The template at 1.0.0 and 1.1.0, and the team's repository: 1.0.0 with edits.
const base = files({
  Dockerfile: 'FROM node:20\nRUN yarn install\n',
  'README.md': '# orders-api\n',
  'src/app.ts': 'export const port = 8080;\n',
  'old.txt': 'gone in 1.1.0\n',
});
const theirs = files({
  Dockerfile: 'FROM node:22\nRUN yarn install --immutable\n',
  '.dockerignore': 'node_modules\n',
  'README.md': '# orders-api\n',
  'src/app.ts': 'export const port = 7007;\n',
});
const oursTree = {
  Dockerfile: 'FROM node:20\nRUN yarn install\n',
  'README.md': '# orders-api\n\n## Runbook\n\nRestart it.\n',
  'src/app.ts': 'export const port = 9090;\n',
  'old.txt': 'gone in 1.1.0\n',
};

const change: ProposedChange = {
  branch: 'paved/upgrade-typescript-service-1.1.0',
  base,
  theirs,
  title: 'Upgrade typescript-service to 1.1.0',
  body: '## What changed\n\nNode 22.',
  author: { name: 'Paved', email: 'upgrades@paved.local' },
};

describe('ScmChangeTarget', () => {
  it('locates a component by its source location on the configured host', async () => {
    const target = new ScmChangeTarget({
      flavour: githubChangeFlavour,
      settings,
      urlReader: fakeReader({}).reader,
      action: recordingAction({}).action,
    });
    await expect(
      target.locate(
        component('url:https://github.com/acme/orders-api/tree/trunk/'),
      ),
    ).resolves.toEqual({
      target: 'github',
      name: 'acme/orders-api',
      url: 'https://github.com/acme/orders-api',
      defaultBranch: 'trunk',
    });
    await expect(
      target.locate(component('url:https://github.com/acme/orders-api.git')),
    ).resolves.toMatchObject({
      name: 'acme/orders-api',
      defaultBranch: 'main',
    });
    await expect(target.locate(component())).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('no backstage.io/source-location'),
    });
    await expect(
      target.locate(component('url:https://gitlab.com/acme/orders-api')),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('on gitlab.com'),
    });
    await expect(
      target.locate(component('file:/tmp/orders-api')),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('locates GitLab projects in nested groups', async () => {
    const target = new ScmChangeTarget({
      flavour: gitlabChangeFlavour,
      settings: { ...settings, host: 'gitlab.example.com' },
      urlReader: fakeReader({}).reader,
      action: recordingAction({}).action,
    });
    await expect(
      target.locate(
        component(
          'url:https://gitlab.example.com/acme/payments/orders-api/-/tree/develop/',
        ),
      ),
    ).resolves.toEqual({
      target: 'gitlab',
      name: 'acme/payments/orders-api',
      url: 'https://gitlab.example.com/acme/payments/orders-api',
      defaultBranch: 'develop',
    });
  });

  it('reads the golden-path file of the default branch, and says when there is none or it is broken', async () => {
    const url =
      'https://github.com/acme/orders-api/blob/main/.paved/golden-path.yaml';
    const answers = {
      template: 'template:default/typescript-service',
      version: '1.0.0',
      values: { name: 'orders-api' },
    };
    const repository = {
      target: 'github' as const,
      name: 'acme/orders-api',
      url: 'https://github.com/acme/orders-api',
      defaultBranch: 'main',
    };
    const make = (urls: Record<string, { text: string; etag?: string }>) =>
      new ScmChangeTarget({
        flavour: githubChangeFlavour,
        settings,
        urlReader: fakeReader({ urls }).reader,
        action: recordingAction({}).action,
      });

    await expect(
      make({
        [url]: { text: stringifyGoldenPathFile(answers), etag: 'W/"abc"' },
      }).readAnswers(repository),
    ).resolves.toEqual({ head: 'W/"abc"', answers });

    const noEtag = await make({
      [url]: { text: stringifyGoldenPathFile(answers) },
    }).readAnswers(repository);
    expect(noEtag.head).toMatch(/^[0-9a-f]{40}$/);

    const none = await make({}).readAnswers(repository);
    expect(none.answers).toBeUndefined();

    await expect(
      make({ [url]: { text: 'template: [' } }).readAnswers(repository),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('.paved/golden-path.yaml'),
    });
  });

  it('merges the upgrade into the default branch as read and opens a pull request with the changed files', async () => {
    const { reader, read } = fakeReader({
      trees: {
        'https://github.com/acme/orders-api/tree/main': {
          files: oursTree,
          etag: 'c0ffee',
        },
      },
    });
    const upstream = recordingAction({
      remoteUrl: 'https://github.com/acme/orders-api/pull/7',
    });
    const target = new ScmChangeTarget({
      flavour: githubChangeFlavour,
      settings,
      urlReader: reader,
      action: upstream.action,
    });
    const repository = await target.locate(
      component('url:https://github.com/acme/orders-api/tree/main/'),
    );
    const result = await target.propose(repository, change);

    expect(read).toEqual(['https://github.com/acme/orders-api/tree/main']);
    expect(result.url).toBe('https://github.com/acme/orders-api/pull/7');
    expect(result.baseCommit).toBe('c0ffee');
    expect(result.headCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(result.files).toEqual([
      { path: '.dockerignore', status: 'added', conflicted: false },
      { path: 'Dockerfile', status: 'modified', conflicted: false },
      { path: 'old.txt', status: 'deleted', conflicted: false },
      { path: 'src/app.ts', status: 'modified', conflicted: true },
    ]);
    expect(result.conflicts).toEqual([
      {
        path: 'src/app.ts',
        base: 'export const port = 8080;\n',
        ours: 'export const port = 9090;\n',
        theirs: 'export const port = 7007;\n',
      },
    ]);

    expect(upstream.runs).toHaveLength(1);
    const [{ input, workspace }] = upstream.runs;
    expect(input).toEqual({
      repoUrl: 'github.com?owner=acme&repo=orders-api',
      branchName: 'paved/upgrade-typescript-service-1.1.0',
      targetBranchName: 'main',
      title: 'Upgrade typescript-service to 1.1.0',
      description: '## What changed\n\nNode 22.',
      commitMessage: 'Upgrade typescript-service to 1.1.0',
      update: true,
      filesToDelete: ['old.txt'],
      gitAuthorName: 'Paved',
      gitAuthorEmail: 'upgrades@paved.local',
    });
    // Only what the upgrade changes; the team's README edit is already on main.
    expect(Object.keys(workspace).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'src/app.ts',
    ]);
    expect(workspace.Dockerfile).toBe(
      'FROM node:22\nRUN yarn install --immutable\n',
    );
    expect(workspace['src/app.ts']).toContain('<<<<<<<');
    expect(workspace['src/app.ts']).toContain('export const port = 9090;');
    expect(workspace['src/app.ts']).toContain('export const port = 7007;');

    // The same proposal on the same head computes the same commit.
    const again = await target.propose(repository, change);
    expect(again.headCommit).toBe(result.headCommit);
  });

  it('opens a GitLab merge request, listing the files it cannot delete', async () => {
    const upstream = recordingAction({
      mergeRequestUrl:
        'https://gitlab.example.com/acme/orders-api/-/merge_requests/3',
    });
    const target = new ScmChangeTarget({
      flavour: gitlabChangeFlavour,
      settings: { ...settings, host: 'gitlab.example.com' },
      urlReader: fakeReader({
        trees: {
          'https://gitlab.example.com/acme/orders-api/-/tree/main': {
            files: oursTree,
            etag: 'beef',
          },
        },
      }).reader,
      action: upstream.action,
    });
    const repository = await target.locate(
      component('url:https://gitlab.example.com/acme/orders-api'),
    );
    const result = await target.propose(repository, change);
    expect(result.url).toBe(
      'https://gitlab.example.com/acme/orders-api/-/merge_requests/3',
    );
    const [{ input, workspace }] = upstream.runs;
    expect(input).toMatchObject({
      repoUrl: 'gitlab.example.com?owner=acme&repo=orders-api',
      branchName: 'paved/upgrade-typescript-service-1.1.0',
      targetBranchName: 'main',
      commitAction: 'auto',
    });
    expect(input.description).toContain('### Files to delete');
    expect(input.description).toContain('- `old.txt`');
    expect(workspace['old.txt']).toBeUndefined();
  });

  it('sends no request when the upgrade changes nothing', async () => {
    const upstream = recordingAction({});
    const target = new ScmChangeTarget({
      flavour: githubChangeFlavour,
      settings,
      urlReader: fakeReader({
        trees: {
          'https://github.com/acme/orders-api/tree/main': {
            files: { 'README.md': 'x\n' },
            etag: 'e',
          },
        },
      }).reader,
      action: upstream.action,
    });
    const repository = await target.locate(
      component('url:https://github.com/acme/orders-api'),
    );
    const same = files({ 'README.md': 'x\n' });
    const result = await target.propose(repository, {
      ...change,
      base: same,
      theirs: same,
    });
    expect(result.files).toEqual([]);
    expect(upstream.runs).toEqual([]);
  });

  it('leaves merging and closing to the host, and does not read its state back', async () => {
    const target: ChangeTarget = new ScmChangeTarget({
      flavour: githubChangeFlavour,
      settings,
      urlReader: fakeReader({}).reader,
      action: recordingAction({}).action,
    });
    const repository = await target.locate(
      component('url:https://github.com/acme/orders-api'),
    );
    await expect(
      target.merge(repository, change.branch, {
        message: 'm',
        author: change.author,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^Merge it on GitHub: https:\/\/github\.com\/acme\/orders-api\/pulls\?q=is%3Apr%20head%3Apaved%2Fupgrade/,
      ),
    });
    await expect(target.close(repository, change.branch)).rejects.toMatchObject(
      { name: 'NotAllowedError' },
    );
    await expect(target.diff(repository, change.branch)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    // The host's state is not read back: the target says it cannot tell.
    await expect(target.inspect(repository, change.branch)).resolves.toEqual({
      known: false,
    });
  });
});
