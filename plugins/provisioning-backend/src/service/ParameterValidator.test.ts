import { ParameterValidator } from './ParameterValidator';

describe('ParameterValidator', () => {
  const validator = new ParameterValidator();
  const validate = validator.compile(
    {
      type: 'object',
      required: ['environment'],
      additionalProperties: false,
      properties: {
        environment: { type: 'string', enum: ['dev', 'production'] },
        sizeGb: { type: 'integer', maximum: 500, default: 10 },
        owners: { type: 'array', items: { type: 'string', format: 'email' } },
        storage: {
          type: 'object',
          properties: { class: { type: 'string', 'ui:widget': 'select' } },
        },
      },
    },
    'parameters',
  );

  it('returns a copy with defaults applied', () => {
    const input = { environment: 'dev' };
    expect(validate(input)).toEqual({ environment: 'dev', sizeGb: 10 });
    expect(input).toEqual({ environment: 'dev' });
  });

  it('names every invalid field in a 400', () => {
    expect(() =>
      validate({
        sizeGb: 501,
        colour: 'blue',
        owners: ['a@example.com', 'not-an-email'],
        storage: { class: 3 },
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          'Invalid parameters: parameters.environment: is required; parameters.colour: is not allowed; parameters.sizeGb: must be <= 500; parameters.owners[1]: must match format "email"; parameters.storage.class: must be string',
      }),
    );
  });

  it('lists the allowed values of an enum', () => {
    expect(() => validate({ environment: 'prod' })).toThrow(
      'parameters.environment: must be one of "dev", "production"',
    );
  });

  it('refuses schemas that are not object schemas', () => {
    expect(() => validator.compile({ type: 'string' }, 'parameters')).toThrow(
      'must be an object schema',
    );
  });
});
