import {
  answersToKeep,
  secretParameterNames,
  templateRefOf,
} from './goldenPathAnswers';

describe('templateRefOf', () => {
  it("prefers the template's metadata to the task's entityRef", () => {
    expect(
      templateRefOf({
        entityRef: 'template:default/dry-run',
        entity: { metadata: { name: 'react-web-app' } },
      }),
    ).toBe('template:default/react-web-app');
  });

  it('falls back to the entityRef without metadata', () => {
    expect(templateRefOf({ entityRef: 'template:default/x' })).toBe(
      'template:default/x',
    );
  });
});

describe('secretParameterNames', () => {
  it('finds secret fields in steps, composition and dependencies', () => {
    expect(
      secretParameterNames([
        {
          properties: {
            name: { type: 'string' },
            token: { type: 'string', 'ui:field': 'Secret' },
          },
        },
        {
          dependencies: {
            useKey: {
              oneOf: [
                {
                  properties: {
                    key: { type: 'string', 'ui:widget': 'password' },
                  },
                },
              ],
            },
          },
          allOf: [
            {
              then: {
                properties: {
                  pass: {
                    type: 'string',
                    'ui:options': { widget: 'password' },
                  },
                },
              },
            },
          ],
        },
      ]),
    ).toEqual(new Set(['token', 'key', 'pass']));
  });

  it('finds none without a schema', () => {
    expect(secretParameterNames(undefined).size).toBe(0);
  });
});

describe('answersToKeep', () => {
  it('sorts keys deeply and keeps arrays in order', () => {
    const kept = answersToKeep({ b: { y: 1, x: [3, 1] }, a: 'v' }, undefined);
    expect(JSON.stringify(kept)).toBe('{"a":"v","b":{"x":[3,1],"y":1}}');
  });
});
