import { statusSections } from './statusSections';

describe('statusSections', () => {
  it('says when Crossplane has reported nothing', () => {
    expect(statusSections('XBucket', undefined)).toEqual([
      {
        title: 'Conditions',
        message: 'Crossplane has not reported on this XBucket yet',
      },
    ]);
  });

  it("tables the conditions and lists the XRD's status fields, flattened, long values cut", () => {
    const sections = statusSections('XBucket', {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Creating',
          message: 'Unready resources: a',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
      crossplane: { connectionDetails: {} },
      endpoint: 'https://b.example.org',
      replicas: 2,
      healthy: true,
      usage: { bytes: 10, objects: { live: 3 } },
      zones: ['a', 'b'],
      empty: {},
      note: 'x'.repeat(300),
    });
    expect(sections[0]).toEqual({
      title: 'Conditions',
      table: {
        columns: ['Type', 'Status', 'Reason', 'Message', 'Since'],
        rows: [
          [
            'Ready',
            'False',
            'Creating',
            'Unready resources: a',
            '2026-01-01T00:00:00Z',
          ],
        ],
      },
    });
    expect(sections[1]).toEqual({
      title: 'XBucket status',
      items: [
        { label: 'endpoint', value: 'https://b.example.org' },
        { label: 'replicas', value: 2 },
        { label: 'healthy', value: 'true' },
        { label: 'usage.bytes', value: 10 },
        { label: 'usage.objects.live', value: 3 },
        { label: 'zones', value: '["a","b"]' },
        { label: 'empty', value: '{}' },
        { label: 'note', value: `${'x'.repeat(199)}…` },
      ],
    });
  });

  it('lists at most 30 fields and counts the rest', () => {
    const status = Object.fromEntries(
      Array.from({ length: 35 }, (_, i) => [`f${i}`, i]),
    );
    const [, fields] = statusSections('XDb', status);
    expect(fields.items).toHaveLength(30);
    expect(fields.message).toBe('and 5 more fields');
  });
});
