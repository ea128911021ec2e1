import { mockServices } from '@backstage/backend-test-utils';
import { readPublishSettings } from './readPublishSettings';

const read = (publish?: object) =>
  readPublishSettings(
    mockServices.rootConfig({
      data: publish ? { paved: { scaffolder: { publish } } } : {},
    }),
  );

describe('readPublishSettings', () => {
  it('defaults to the local repositories and main', () => {
    expect(read()).toEqual({ target: 'local', defaultBranch: 'main' });
  });

  it('reads a hosted target with its owner and host', () => {
    const settings = read({
      target: 'gitlab',
      defaultBranch: 'trunk',
      gitlab: { owner: 'acme/services', host: 'gitlab.acme.test' },
    });
    expect(settings).toMatchObject({
      target: 'gitlab',
      defaultBranch: 'trunk',
      hosted: {
        key: 'paved.scaffolder.publish.gitlab',
        owner: 'acme/services',
        host: 'gitlab.acme.test',
      },
    });
    expect(settings.hosted?.config?.getString('owner')).toBe('acme/services');
    expect(
      read({ target: 'github', github: { owner: 'acme' } }).hosted?.host,
    ).toBe('github.com');
  });

  it('names the key to fix', () => {
    expect(() => read({ target: 'bitbucket' })).toThrow(
      "paved.scaffolder.publish.target must be one of local, github, gitlab, not 'bitbucket'",
    );
    expect(() => read({ target: 'github' })).toThrow(
      /paved\.scaffolder\.publish\.github\.owner/,
    );
  });
});
