import { fixUrlOf } from './fixUrl';

describe('fixUrlOf', () => {
  const check = {
    fixUrl: 'https://docs.test/golden-paths/',
    fixUrlFact: 'upgrades.openChange',
  };

  it("links to the entity's own fix when its fact names one", () => {
    expect(
      fixUrlOf(check, { 'upgrades.openChange': '/upgrades/changes/c-1' }),
    ).toBe('/upgrades/changes/c-1');
  });

  it('falls back to the general link when the fact is null, empty, missing or not a string', () => {
    for (const value of [null, '', '  ', undefined, 3, true, ['x']]) {
      expect(fixUrlOf(check, { 'upgrades.openChange': value as any })).toBe(
        check.fixUrl,
      );
    }
    expect(fixUrlOf(check, {})).toBe(check.fixUrl);
  });

  it('ignores facts for checks without a fixUrlFact', () => {
    expect(
      fixUrlOf(
        { fixUrl: '/create' },
        { 'upgrades.openChange': '/upgrades/changes/c-1' },
      ),
    ).toBe('/create');
  });
});
