import { filterPredicateToFilterFunction } from '@backstage/filter-predicates';
// This test reads the repository's app-config.yaml and templates/, in Node (Jest);
// the app itself never reads files.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import { parse } from 'yaml';

const root = resolve(__dirname, '../../..');
const read = (path: string) => parse(readFileSync(resolve(root, path), 'utf8'));

type Template = {
  metadata: { name: string; title: string };
  spec: { type: string };
};

/** The Create page's settings in app-config.yaml: what it lists, in which groups. */
function createPageConfig() {
  const extensions: Array<Record<string, any> | string> =
    read('app-config.yaml').app.extensions;
  const entry = extensions.find(
    extension =>
      typeof extension === 'object' &&
      'sub-page:scaffolder/templates' in extension,
  ) as Record<string, any>;
  const config = entry['sub-page:scaffolder/templates'].config;
  return {
    listed: filterPredicateToFilterFunction<Template>(config.templateFilter),
    groups: (config.groups as Array<{ title: string; filter: any }>).map(
      group => ({
        title: group.title,
        filter: filterPredicateToFilterFunction<Template>(group.filter),
      }),
    ),
  };
}

/** Every template the catalog registers (templates/all.yaml). */
const templates = (): Template[] =>
  read('templates/all.yaml').spec.targets.map((target: string) =>
    read(`templates/${target}`),
  );

describe('the Create page', () => {
  const { listed, groups } = createPageConfig();
  const all = templates();
  const inGroup = (title: string) =>
    all
      .filter(listed)
      .filter(groups.find(group => group.title === title)!.filter)
      .map(template => template.metadata.name);

  it('groups the golden paths first, then the self-service resources', () => {
    expect(groups.map(group => group.title)).toEqual([
      'Golden paths',
      'Self-service resources',
    ]);
    expect(inGroup('Golden paths')).toEqual(
      expect.arrayContaining([
        'typescript-service',
        'react-web-app',
        'typescript-library',
      ]),
    );
    expect(inGroup('Self-service resources')).toEqual(
      expect.arrayContaining([
        'postgres-database',
        'rabbitmq-queue',
        's3-bucket',
        'environment',
      ]),
    );
  });

  it('puts every template it lists in exactly one group (none in "Other")', () => {
    for (const template of all.filter(listed)) {
      expect([
        template.metadata.name,
        groups.filter(group => group.filter(template)).length,
      ]).toEqual([template.metadata.name, 1]);
    }
  });

  it('does not list the runbooks, which are run on a component, not created', () => {
    const runbooks = all.filter(template => template.spec.type === 'runbook');
    expect(runbooks.length).toBeGreaterThan(0);
    expect(runbooks.filter(listed)).toEqual([]);
    expect(all.filter(listed)).toHaveLength(all.length - runbooks.length);
  });
});
