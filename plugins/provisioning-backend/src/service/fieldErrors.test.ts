import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { fieldErrorsOf } from './fieldErrors';

describe('fieldErrorsOf', () => {
  it('names every field of a validation message', () => {
    expect(
      fieldErrorsOf(
        new InputError(
          'Invalid parameters: parameters.sizeGb: must be <= 500; parameters.environment: is required',
        ),
        'parameters',
      ),
    ).toEqual([
      { field: 'parameters.sizeGb', message: 'must be <= 500' },
      { field: 'parameters.environment', message: 'is required' },
    ]);
  });

  it('keeps prose with a semicolon in one message', () => {
    expect(
      fieldErrorsOf(
        new InputError(
          "Invalid request: type: unknown resource type 'kafka'; known types are 'fake'",
        ),
        'type',
      ),
    ).toEqual([
      {
        field: 'type',
        message: "unknown resource type 'kafka'; known types are 'fake'",
      },
    ]);
  });

  it('puts a message without a field on the fallback', () => {
    expect(
      fieldErrorsOf(
        new NotAllowedError('user:default/dave may not request it'),
        'owner',
      ),
    ).toEqual([
      { field: 'owner', message: 'user:default/dave may not request it' },
    ]);
    expect(
      fieldErrorsOf(new ConflictError('Quota exceeded: owner: x'), 'owner'),
    ).toEqual([{ field: 'owner', message: 'Quota exceeded: owner: x' }]);
  });

  it('throws what is not a refusal', () => {
    const error = new Error('connection refused');
    expect(() => fieldErrorsOf(error, 'type')).toThrow(error);
  });
});
