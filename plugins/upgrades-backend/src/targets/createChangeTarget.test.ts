import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { createChangeTarget } from './createChangeTarget';
import { LocalChangeTarget } from './local/LocalChangeTarget';
import { ScmChangeTarget } from './scm/ScmChangeTarget';

const stand = (id: string) => createTemplateAction({ id, async handler() {} });
const actions = {
  githubPullRequest: stand('publish:github:pull-request'),
  gitlabMergeRequest: stand('publish:gitlab:merge-request'),
};
const urlReader = mockServices.urlReader.mock();

const targetWith = (publish?: object) =>
  createChangeTarget({
    config: new ConfigReader(
      publish ? { paved: { scaffolder: { publish } } } : {},
    ),
    repositories: new LocalRepositories('/tmp/paved-no-such-repositories'),
    urlReader,
    actions,
  });

describe('createChangeTarget', () => {
  it('proposes to the local repositories by default', () => {
    const target = targetWith();
    expect(target).toBeInstanceOf(LocalChangeTarget);
    expect(target.kind).toBe('local');
  });

  it('proposes pull requests on GitHub and merge requests on GitLab as configured', async () => {
    const github = targetWith({
      target: 'github',
      github: { owner: 'acme' },
      defaultBranch: 'trunk',
    });
    expect(github).toBeInstanceOf(ScmChangeTarget);
    expect(github.kind).toBe('github');
    await expect(
      github.locate({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'orders-api',
          annotations: {
            'backstage.io/source-location':
              'url:https://github.com/acme/orders-api',
          },
        },
      }),
    ).resolves.toMatchObject({ defaultBranch: 'trunk' });

    const gitlab = targetWith({
      target: 'gitlab',
      gitlab: { owner: 'acme', host: 'gitlab.example.com' },
    });
    expect(gitlab.kind).toBe('gitlab');
  });

  it('names the key to fix when the config is wrong', () => {
    expect(() => targetWith({ target: 'bitbucket' })).toThrow(
      "paved.scaffolder.publish.target must be one of local, github, gitlab, not 'bitbucket'",
    );
    expect(() => targetWith({ target: 'github' })).toThrow(
      /paved\.scaffolder\.publish\.github\.owner/,
    );
  });

  it("makes Backstage's own actions from the integrations when none are given", () => {
    const target = createChangeTarget({
      config: new ConfigReader({
        paved: {
          scaffolder: { publish: { target: 'github', github: { owner: 'a' } } },
        },
      }),
      urlReader,
    });
    expect(target.kind).toBe('github');
  });
});
