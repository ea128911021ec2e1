import { TrackDefinition } from '@paved/plugin-scorecard-common';
import { compileTrack, scoreEntity } from './compileTrack';
import { OPERATORS } from './operators';
import { trackProblems } from './validateTracks';

const check = (id: string, fact: string, appliesTo?: any) => ({
  id,
  title: id,
  description: '',
  howToFix: '',
  appliesTo,
  rules: [{ fact, operator: 'equal' as const, value: true }],
});

const track: TrackDefinition = {
  id: 't',
  title: 'T',
  levels: [
    { level: 1, name: 'One', checks: [check('a', 'a')] },
    { level: 2, name: 'Two', checks: [check('b', 'b')] },
    {
      level: 3,
      name: 'Three',
      checks: [check('c', 'c'), check('w', 'w', { types: ['website'] })],
    },
  ],
};

describe('scoring', () => {
  const compiled = compileTrack(track);
  const service = { kind: 'Component', type: 'service' };

  it('is at level N when every check of levels 1..N passes', () => {
    expect(
      scoreEntity(compiled, service, { a: true, b: true, c: true }).level,
    ).toBe(3);
    expect(
      scoreEntity(compiled, service, { a: false, b: true, c: true }).level,
    ).toBe(0);
  });

  it('caps an entity at 1 when a level-2 check fails, whatever passes above', () => {
    const { level, passed } = scoreEntity(compiled, service, {
      a: true,
      b: false,
      c: true,
    });
    expect(level).toBe(1);
    expect(passed).toEqual([true, false, true, true]);
  });

  it('passes checks that do not apply to the entity', () => {
    expect(
      scoreEntity(
        compiled,
        { kind: 'Component', type: 'website' },
        { a: true, b: true, c: true },
      ).level,
    ).toBe(2);
  });

  it('explains a failure with the fact and what was expected', () => {
    expect(compiled.checks[1].explain({ b: false })).toBe(
      'b is false (expected equal true)',
    );
    expect(compiled.checks[1].explain({})).toBe(
      'b is missing (expected equal true)',
    );
  });

  it('has the operators of json-rules-engine', () => {
    expect(OPERATORS.greaterThanInclusive(2, 2)).toBe(true);
    expect(OPERATORS.lessThan(undefined, 4)).toBe(false);
    expect(OPERATORS.in('production', ['production'])).toBe(true);
    expect(OPERATORS.contains(['a', 'b'], 'b')).toBe(true);
    expect(OPERATORS.exists([], true)).toBe(false);
    expect(OPERATORS.exists(['x'], true)).toBe(true);
    expect(OPERATORS.notEqual(undefined, 1)).toBe(false);
  });
});

describe('validation', () => {
  const facts = new Set(['a', 'b', 'c', 'w']);

  it('accepts a good track', () => {
    expect(trackProblems([track], facts)).toEqual([]);
  });

  it('names the check with an unknown fact or operator, empty levels and duplicates', () => {
    const bad: TrackDefinition = {
      id: 't',
      title: 'T',
      levels: [
        {
          level: 1,
          name: 'One',
          checks: [
            { ...check('a', 'nope') },
            {
              ...check('a', 'a'),
              rules: [{ fact: 'a', operator: 'like' as any }],
            },
          ],
        },
        { level: 2, name: 'Two', checks: [] },
      ],
    };
    expect(trackProblems([bad], facts)).toEqual([
      "check 'a' (track 't', level 1) uses unknown fact 'nope'",
      "duplicate check id 'a' in track 't' and track 't'",
      expect.stringContaining(
        "check 'a' (track 't', level 1) uses unknown operator 'like'",
      ),
      "track 't' level 2 'Two' has no checks",
    ]);
  });
});
