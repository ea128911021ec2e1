import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { formatAjvErrors } from './formatAjvErrors';

/** Validates (and fills in defaults of) a JSON object against a compiled schema. */
export type ValidateParameters = (value: JsonObject) => JsonObject;

/**
 * Compiles resource types' JSON Schemas (draft-07, with formats) into validators.
 * Unknown keywords are allowed, so that schemas may carry form hints.
 */
export class ParameterValidator {
  private readonly ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    strict: false,
  });

  constructor() {
    addFormats(this.ajv);
  }

  /**
   * Throws when `schema` is not a valid object schema; the validator it returns
   * throws an InputError naming each invalid field as `<field>.<path>`.
   */
  compile(schema: JsonObject, field: string): ValidateParameters {
    if (schema.type !== 'object') {
      throw new Error(
        `the schema of ${field} must be an object schema ("type": "object")`,
      );
    }
    const validate = this.ajv.compile(schema);
    return value => {
      // A JSON round trip, so that the copy compares equal (isDeepStrictEqual, for
      // idempotency) with parameters read back from the database.
      const copy = JSON.parse(JSON.stringify(value)) as JsonObject;
      if (!validate(copy)) {
        throw new InputError(
          `Invalid ${field}: ${formatAjvErrors(field, validate.errors)}`,
        );
      }
      return copy;
    };
  }
}
