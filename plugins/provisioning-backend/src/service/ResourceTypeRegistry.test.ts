import { createFakeResourceType } from '../__testUtils__/fakeResourceType';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';

describe('ResourceTypeRegistry', () => {
  const { type } = createFakeResourceType();

  it('describes registered types and their actions for the form', () => {
    const registry = new ResourceTypeRegistry();
    registry.add(type);
    expect(registry.list()).toEqual([
      {
        id: 'fake',
        title: 'Fake resource',
        description: 'A resource that exists only in the test',
        // No catalogType declared: the catalog type is the type's id.
        catalogType: 'fake',
        parameters: type.parameters,
        actions: [
          {
            id: 'resize',
            title: 'Resize',
            description: undefined,
            parameters: type.actions!.resize.parameters,
          },
          {
            id: 'promote',
            title: 'Promote',
            description: undefined,
            parameters: type.actions!.promote.parameters,
          },
        ],
      },
    ]);
  });

  it('refuses duplicate ids, bad ids and invalid schemas at registration', () => {
    const registry = new ResourceTypeRegistry();
    registry.add(type);
    expect(() => registry.add(type)).toThrow(
      "Resource type 'fake' is already registered",
    );
    expect(() => registry.add({ ...type, id: 'Fake_DB' })).toThrow(
      'must be kebab-case',
    );
    expect(() =>
      registry.add({
        ...type,
        id: 'broken',
        parameters: { type: 'object', properties: { a: { type: 'nonsense' } } },
      }),
    ).toThrow("Resource type 'broken' has an invalid parameters schema");
  });

  it('finds the type serving a Score type and lists its Score types', () => {
    const registry = new ResourceTypeRegistry();
    const score = {
      types: ['postgres'],
      parameters: () => ({}),
      outputs: () => ({}),
    };
    const database = { ...type, id: 'db', environmentCopy: {}, score };
    registry.add(type);
    registry.add(database);
    expect(registry.forScoreType('postgres')).toBe(database);
    expect(registry.forScoreType('redis')).toBeUndefined();
    expect(registry.scoreTypes()).toEqual(['postgres']);
    expect(registry.list()[1].scoreTypes).toEqual(['postgres']);
    expect(registry.list()[0]).not.toHaveProperty('scoreTypes');
  });

  it('refuses at start-up a Score type provided twice, or without environmentCopy', () => {
    const registry = new ResourceTypeRegistry();
    const score = {
      types: ['postgres'],
      parameters: () => ({}),
      outputs: () => ({}),
    };
    registry.add({ ...type, id: 'db', environmentCopy: {}, score });
    expect(() =>
      registry.add({ ...type, id: 'other-db', environmentCopy: {}, score }),
    ).toThrow(
      "Resource types 'db' and 'other-db' both provide the Score resource type 'postgres'",
    );
    expect(() =>
      registry.add({
        ...type,
        id: 'cache',
        score: { ...score, types: ['redis'] },
      }),
    ).toThrow("'cache' declares 'score' but not 'environmentCopy'");
    // Neither refused type was registered.
    expect(registry.all().map(t => t.id)).toEqual(['db']);
  });

  it('answers unknown types with a 400 naming the field and unknown actions with a 404', () => {
    const registry = new ResourceTypeRegistry();
    registry.add(type);
    expect(() => registry.getForInput('postgres')).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          "Invalid request: type: unknown resource type 'postgres'; known types are 'fake'",
      }),
    );
    expect(() => registry.getAction('fake', 'explode')).toThrow(
      expect.objectContaining({ name: 'NotFoundError' }),
    );
  });

  it('validates action input, naming the input field', () => {
    const registry = new ResourceTypeRegistry();
    registry.add(type);
    const { validateInput } = registry.getAction('fake', 'resize');
    expect(() => validateInput({ sizeGb: 'big' })).toThrow(
      'Invalid input: input.sizeGb: must be integer',
    );
  });
});
