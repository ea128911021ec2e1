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
