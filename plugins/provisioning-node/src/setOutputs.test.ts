import { JsonObject, JsonValue } from '@backstage/types';
import { setOutputs } from './setOutputs';

describe('setOutputs', () => {
  it('stores only the outputs whose value changed', async () => {
    const written: Array<[string, JsonValue]> = [];
    const outputs: JsonObject = { host: 'db', port: 5432, tls: false };
    await setOutputs(
      {
        outputs,
        setOutput: async (name, value) => {
          written.push([name, value]);
        },
      },
      { host: 'db', port: 6432, tls: false, user: 'orders' },
    );
    expect(written).toEqual([
      ['port', 6432],
      ['user', 'orders'],
    ]);
  });

  it('stores the changed outputs in one write where the context can', async () => {
    const writes: JsonObject[] = [];
    const ctx = {
      outputs: { host: 'db', port: 5432 } as JsonObject,
      setOutput: async () => {
        throw new Error('one output at a time');
      },
      setOutputs: async (values: JsonObject) => {
        writes.push(values);
      },
    };
    await setOutputs(ctx, { host: 'db', port: 6432, user: 'orders' });
    await setOutputs(ctx, { host: 'db' });
    expect(writes).toEqual([{ port: 6432, user: 'orders' }]);
  });
});
