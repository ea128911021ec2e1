import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createPublishTarget } from './createPublishTarget';
import {
  githubFlavour,
  gitlabFlavour,
  ScmPublishTarget,
  ScmSettings,
} from './ScmPublishTarget';

const settings: ScmSettings = {
  host: 'github.com',
  owner: 'acme',
  visibility: 'private',
  defaultBranch: 'main',
};

/** Stands in for publish:github, which needs GitHub (not reachable from tests). */
function recordingUpstream(outputs: Record<string, string>) {
  const inputs: unknown[] = [];
  const action = createTemplateAction({
    id: 'publish:fake',
    async handler(ctx) {
      inputs.push(ctx.input);
      for (const [name, value] of Object.entries(outputs)) {
        ctx.output(name, value);
      }
    },
  });
  return { action, inputs };
}

describe('ScmPublishTarget', () => {
  it('runs publish:github with the configured owner and maps its outputs', async () => {
    const upstream = recordingUpstream({
      remoteUrl: 'https://github.com/acme/orders-api.git',
      repoContentsUrl: 'https://github.com/acme/orders-api/blob/main',
    });
    const target = new ScmPublishTarget(
      githubFlavour,
      settings,
      upstream.action,
    );
    const location = await target.publish(createMockActionContext(), {
      repoName: 'orders-api',
      description: 'Orders',
    });
    expect(upstream.inputs).toEqual([
      {
        repoUrl: 'github.com?owner=acme&repo=orders-api',
        description: 'Orders',
        defaultBranch: 'main',
        repoVisibility: 'private',
      },
    ]);
    expect(location).toEqual({
      remoteUrl: 'https://github.com/acme/orders-api.git',
      repoContentsUrl: 'https://github.com/acme/orders-api/blob/main',
      catalogInfoUrl:
        'https://github.com/acme/orders-api/blob/main/catalog-info.yaml',
    });
    expect(await target.exists()).toBeUndefined();
  });

  it('says where a GitLab repository would be without creating it', () => {
    const upstream = recordingUpstream({});
    const target = new ScmPublishTarget(
      gitlabFlavour,
      { ...settings, host: 'gitlab.example.com' },
      upstream.action,
    );
    expect(target.locate('orders-api').catalogInfoUrl).toBe(
      'https://gitlab.example.com/acme/orders-api/-/blob/main/catalog-info.yaml',
    );
    expect(upstream.inputs).toEqual([]);
  });
});

describe('createPublishTarget', () => {
  const make = (publish: object) =>
    createPublishTarget(
      new ConfigReader({ paved: { scaffolder: { publish } } }),
    );

  it('is local by default and GitHub or GitLab when config says so', () => {
    expect(createPublishTarget(new ConfigReader({})).title).toMatch(
      /^the local repositories in /,
    );
    expect(make({ target: 'github', github: { owner: 'acme' } }).title).toBe(
      'GitHub (github.com/acme)',
    );
    expect(
      make({
        target: 'gitlab',
        gitlab: { owner: 'platform', host: 'gitlab.acme.io' },
      }).title,
    ).toBe('GitLab (gitlab.acme.io/platform)');
  });

  it('names the config key that is wrong', () => {
    expect(() => make({ target: 'bitbucket' })).toThrow(
      "paved.scaffolder.publish.target must be one of local, github, gitlab, not 'bitbucket'",
    );
    expect(() => make({ target: 'github' })).toThrow(
      /paved\.scaffolder\.publish\.github\.owner/,
    );
    expect(() =>
      make({ target: 'gitlab', gitlab: { owner: 'a', visibility: 'secret' } }),
    ).toThrow(
      "paved.scaffolder.publish.gitlab.visibility must be one of private, internal, public, not 'secret'",
    );
  });
});
