import fs from 'node:fs';
import path from 'node:path';
import { compileTrack, Facts } from '../engine/compileTrack';
import { defaultTrack } from './defaultTrack';

/** The default track's delivery check, on the facts of the deployments module. */
describe('the default track: delivery check', () => {
  const track = compileTrack(defaultTrack);
  const check = (id: string) => {
    const found = track.checks.find(c => c.definition.id === id);
    if (!found) throw new Error(`no check ${id}`);
    return found;
  };
  const service = { kind: 'Component', type: 'service' };

  it('passes level 4 on a change failure rate of at most 15% with a production deployment', () => {
    const cfr = check('change-failure-rate');
    expect(cfr.level).toBe(4);
    const facts = (rate: number | null, deployments: number): Facts => ({
      'deployments.changeFailureRate': rate,
      'deployments.productionDeployments': deployments,
    });
    expect(cfr.test(facts(0.15, 7))).toBe(true);
    expect(cfr.test(facts(0, 1))).toBe(true);
    expect(cfr.test(facts(0.2, 10))).toBe(false);
    // Nothing deployed: no rate to judge, not a pass.
    expect(cfr.test(facts(null, 0))).toBe(false);
    expect(cfr.test({})).toBe(false);
    expect(cfr.explain(facts(0.2, 10))).toBe(
      'deployments.changeFailureRate is 0.2 (expected lessThanInclusive 0.15)',
    );
  });

  it('has no delivery check below level 4: a level-3 component need not be deployed yet', () => {
    const delivery = track.checks.filter(c =>
      c.definition.rules.some(r => r.fact.startsWith('deployments.')),
    );
    expect(delivery.map(c => [c.definition.id, c.level])).toEqual([
      ['change-failure-rate', 4],
    ]);
  });

  it('holds only deployed components (services, websites) to it, not libraries', () => {
    const cfr = check('change-failure-rate');
    expect(cfr.applies(service)).toBe(true);
    expect(cfr.applies({ kind: 'Component', type: 'website' })).toBe(true);
    expect(cfr.applies({ kind: 'Component', type: 'library' })).toBe(false);
  });
});

/** The portal's docs (docs/ of this repository), as TechDocs serves them. */
describe('the default track: links into the docs', () => {
  const docsDir = path.resolve(__dirname, '../../../../docs');
  /** Python-Markdown's toc slugify, which mkdocs (and TechDocs) use for heading ids. */
  const slugify = (heading: string) =>
    heading
      .normalize('NFKD')
      .replace(/[^ -~\s]/g, '')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[-\s]+/g, '-');

  const links = defaultTrack.levels
    .flatMap(l => l.checks)
    .flatMap(c => {
      const match =
        /^\/docs\/default\/component\/paved-portal\/([^/#]+)\/#(.+)$/.exec(
          c.fixUrl ?? '',
        );
      return match ? [[c.id, match[1], match[2]] as const] : [];
    });

  it('sends the latest-version check to the upgrades section of the golden paths page', () => {
    expect(links).toContainEqual([
      'latest-template-version',
      'golden-paths',
      'upgrades-keeping-services-on-the-golden-path',
    ]);
  });

  it.each(links)(
    '%s links to a heading of docs/%s.md (#%s)',
    (_, page, anchor) => {
      const ids = fs
        .readFileSync(path.join(docsDir, `${page}.md`), 'utf8')
        .split('\n')
        .filter(line => /^#{1,6} /.test(line))
        .map(line => slugify(line.replace(/^#+ /, '')));
      expect(ids).toContain(anchor);
    },
  );
});
