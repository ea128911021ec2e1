import { formUiSchema } from './formUiSchema';

const queues = (items: object = {}) => ({
  type: 'array',
  title: 'Queues',
  minItems: 1,
  items: {
    type: 'object',
    properties: { name: { type: 'string' } },
    ...items,
  },
});

describe('formUiSchema', () => {
  it('titles the items of a list of objects by their own title, or not at all', () => {
    const untitled = formUiSchema(
      { type: 'object', properties: { queues: queues() } },
      {},
    );
    expect(untitled.queues).toEqual({
      'ui:options': { removable: false, addLabel: 'Add to queues' },
      items: { 'ui:title': '' },
    });

    const titled = formUiSchema(
      { type: 'object', properties: { queues: queues({ title: 'Queue' }) } },
      {},
    );
    expect(titled.queues).toEqual({
      'ui:options': { removable: false, addLabel: 'Add queue' },
      items: { 'ui:title': 'Queue' },
    });
  });

  it('lets items be removed only above the minimum', () => {
    const schema = { type: 'object', properties: { queues: queues() } };
    const removable = (count: number) =>
      formUiSchema(schema, {
        queues: Array.from({ length: count }, () => ({ name: 'q' })),
      }).queues['ui:options'].removable;
    expect(removable(0)).toBe(false);
    expect(removable(1)).toBe(false);
    expect(removable(2)).toBe(true);
    // Without a minimum, the last one can go too.
    expect(
      formUiSchema(
        {
          type: 'object',
          properties: { tags: { ...queues(), minItems: undefined } },
        },
        { tags: [{ name: 'a' }] },
      ).tags['ui:options'].removable,
    ).toBe(true);
  });

  it('follows nested objects, and leaves other fields and lists of values alone', () => {
    const ui = formUiSchema(
      {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          hosts: { type: 'array', items: { type: 'string' } },
          spec: {
            type: 'object',
            properties: { ports: { ...queues(), title: 'Ports', minItems: 0 } },
          },
          empty: { type: 'object', properties: { a: { type: 'string' } } },
        },
      },
      { spec: { ports: [{ name: 'http' }] } },
    );
    expect(ui).toEqual({
      spec: {
        ports: {
          'ui:options': { removable: true, addLabel: 'Add to ports' },
          items: { 'ui:title': '' },
        },
      },
    });
  });
});
