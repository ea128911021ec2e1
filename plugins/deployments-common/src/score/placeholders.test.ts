import {
  findPlaceholders,
  formatPlaceholder,
  interpolate,
  InterpolatedValue,
  partsToText,
  PlaceholderError,
} from './placeholders';

describe('findPlaceholders', () => {
  it('finds placeholders and splits their paths', () => {
    expect(
      findPlaceholders(
        'postgres://${resources.db.user}@${resources.db.host}:5432',
      ),
    ).toEqual([
      { raw: '${resources.db.user}', path: ['resources', 'db', 'user'] },
      { raw: '${resources.db.host}', path: ['resources', 'db', 'host'] },
    ]);
  });

  it('treats $${ as a literal ${ and $$ as $', () => {
    expect(findPlaceholders('$${resources.db.host} and $$HOME')).toEqual([]);
    expect(findPlaceholders('$$${metadata.name}')).toEqual([
      { raw: '${metadata.name}', path: ['metadata', 'name'] },
    ]);
  });

  it('unescapes \\. inside names', () => {
    expect(
      findPlaceholders('${metadata.annotations.example\\.com/team}'),
    ).toEqual([
      {
        raw: '${metadata.annotations.example\\.com/team}',
        path: ['metadata', 'annotations', 'example.com/team'],
      },
    ]);
  });

  it('leaves unclosed and empty placeholders alone', () => {
    expect(findPlaceholders('${resources.db.host')).toEqual([]);
    expect(findPlaceholders('${}')).toEqual([]);
    expect(findPlaceholders('plain text')).toEqual([]);
  });
});

describe('formatPlaceholder', () => {
  it('re-escapes dots so that parsing gives the path back', () => {
    const path = ['metadata', 'annotations', 'a.b/c'];
    const raw = formatPlaceholder(path);
    expect(raw).toBe('${metadata.annotations.a\\.b/c}');
    expect(findPlaceholders(raw)[0].path).toEqual(path);
  });
});

describe('interpolate', () => {
  const values: Record<string, InterpolatedValue> = {
    'metadata.name': { value: 'orders' },
    'resources.db.host': { value: 'db.ns.svc' },
    'resources.db.port': { value: 5432 },
    'resources.flags.on': { value: true },
    'resources.db.password': {
      secretKeyRef: { name: 'orders-db', key: 'password' },
    },
  };
  const resolve = (path: string[]) => {
    const found = values[path.join('.')];
    if (!found) throw new PlaceholderError(formatPlaceholder(path));
    return found;
  };

  it('merges plain values with the text around them', () => {
    expect(
      interpolate(
        '${resources.db.host}:${resources.db.port}/${metadata.name}',
        resolve,
      ),
    ).toEqual([{ text: 'db.ns.svc:5432/orders' }]);
    expect(interpolate('on=${resources.flags.on}', resolve)).toEqual([
      { text: 'on=true' },
    ]);
  });

  it('keeps secret references as parts of their own', () => {
    expect(
      interpolate(
        'postgres://app:${resources.db.password}@${resources.db.host}',
        resolve,
      ),
    ).toEqual([
      { text: 'postgres://app:' },
      { secretKeyRef: { name: 'orders-db', key: 'password' } },
      { text: '@db.ns.svc' },
    ]);
    expect(interpolate('${resources.db.password}', resolve)).toEqual([
      { secretKeyRef: { name: 'orders-db', key: 'password' } },
    ]);
  });

  it('unescapes $$ and never resolves escaped placeholders', () => {
    const spy = jest.fn(resolve);
    expect(interpolate('$${resources.nope.x} costs $$5', spy)).toEqual([
      { text: '${resources.nope.x} costs $5' },
    ]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('answers one empty text part for an empty text', () => {
    expect(interpolate('', resolve)).toEqual([{ text: '' }]);
  });

  it('lets the PlaceholderError of an unknown name through', () => {
    const run = () => interpolate('x ${resources.cache.host}', resolve);
    expect(run).toThrow(PlaceholderError);
    expect(run).toThrow(
      expect.objectContaining({ placeholder: '${resources.cache.host}' }),
    );
  });
});

describe('partsToText', () => {
  it('joins text parts and refuses secret references', () => {
    expect(partsToText([{ text: 'a' }, { text: 'b' }])).toBe('ab');
    expect(
      partsToText([{ text: 'a' }, { secretKeyRef: { name: 's', key: 'k' } }]),
    ).toBeUndefined();
  });
});
