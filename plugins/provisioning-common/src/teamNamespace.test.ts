import { teamNamespace } from './teamNamespace';

describe('teamNamespace', () => {
  it.each([
    ['group:default/checkout-team', 'team-checkout'],
    ['checkout-team', 'team-checkout'],
    ['group:default/platform-team', 'team-platform'],
    ['group:default/acme', 'team-acme'],
    // Only a trailing -team is dropped.
    ['group:default/team-rocket', 'team-team-rocket'],
  ])('%s deploys to %s', (owner, namespace) => {
    expect(teamNamespace(owner)).toBe(namespace);
  });

  it('refuses groups whose names cannot make a namespace, naming the owner', () => {
    expect(() => teamNamespace('group:default/data_science')).toThrow(
      "owner 'group:default/data_science' gives the namespace 'team-data_science'",
    );
    expect(() => teamNamespace(`group:default/${'a'.repeat(60)}`)).toThrow(
      /not a Kubernetes namespace name/,
    );
    expect(() => teamNamespace('group:')).toThrow(/^owner 'group:'/);
  });
});
