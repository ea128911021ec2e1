import { driftedFields } from './drift';

describe('driftedFields', () => {
  const want = {
    spec: { size: 3, tags: { team: 'a' }, rules: [{ days: 1 }] },
    labels: { 'paved.dev/request-id': 'r1' },
  };

  it('finds nothing when the live object holds what Paved set, defaults and other fields beside', () => {
    expect(
      driftedFields(want, {
        spec: {
          size: 3,
          region: 'eu',
          tags: { team: 'a', cost: 'b' },
          rules: [{ days: 1, prefix: '' }],
          crossplane: { compositionRef: { name: 'c' } },
        },
        labels: { 'paved.dev/request-id': 'r1', other: 'x' },
      }),
    ).toEqual([]);
  });

  it('names each top-level field and label that changed or went', () => {
    expect(
      driftedFields(want, {
        spec: { size: 4, tags: {}, rules: [{ days: 1 }, { days: 2 }] },
        labels: {},
      }),
    ).toEqual([
      'spec.size',
      'spec.tags',
      'spec.rules',
      'metadata.labels.paved.dev/request-id',
    ]);
  });
});
