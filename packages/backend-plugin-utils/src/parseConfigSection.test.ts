import { z } from 'zod';
import { parseConfigSection } from './parseConfigSection';

const schema = z
  .object({
    user: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    password: z.string({ error: 'is required' }),
    targets: z.array(z.object({ port: z.number({ error: 'must be a port' }) })),
  })
  .strict();

describe('parseConfigSection', () => {
  it('returns what the schema parses', () => {
    expect(
      parseConfigSection(
        schema,
        { user: 'admin', password: 'pw', targets: [{ port: 5432 }] },
        'provisioning.x',
      ),
    ).toEqual({ user: 'admin', password: 'pw', targets: [{ port: 5432 }] });
  });

  it('names every invalid and unknown key in full, and no value', () => {
    const parse = () =>
      parseConfigSection(
        schema,
        {
          user: '',
          password: 'secret-value',
          targets: [{ port: 1 }, { port: 'five' }],
          extra: 'secret-extra',
        },
        'provisioning.x',
      );
    expect(parse).toThrow(
      'Invalid config: provisioning.x.user: must not be empty; provisioning.x.targets[1].port: must be a port; provisioning.x.extra: is not a setting',
    );
    expect(parse).not.toThrow(/secret/);
  });
});
