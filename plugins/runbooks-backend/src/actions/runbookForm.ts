import { Entity } from '@backstage/catalog-model';
import { JsonObject, JsonValue } from '@backstage/types';
import { validate } from 'jsonschema';

/** The form field a runbook that changes something asks its user to tick. */
export const CONFIRM_FIELD = 'confirm';

/** Filled from the entity the runbook runs on, never by the caller. */
const ENTITY_FIELD = 'entityRef';

/** One input of a runbook's form, as an agent needs it to fill it in. */
export interface RunbookInput {
  name: string;
  title?: string;
  description?: string;
  /** The JSON Schema type, e.g. `string`, `integer`. */
  type?: string;
  required: boolean;
  default?: JsonValue;
  enum?: JsonValue[];
}

/** The confirmation a runbook's form requires before it runs. */
export interface RunbookConfirmation {
  field: typeof CONFIRM_FIELD;
  /** The value the form requires (its `const`), `true` for Paved's runbooks. */
  value: JsonValue;
  title?: string;
  /** What the user confirms they understand. */
  description?: string;
}

/** Something wrong with the values a run would be given. */
export interface RunbookProblem {
  field: string;
  message: string;
}

type ParameterStep = {
  title?: string;
  required?: string[];
  properties?: Record<string, Record<string, unknown>>;
};

/**
 * A runbook's form, read from its Template's `spec.parameters`: the inputs a caller
 * fills in, the confirmation it requires, the steps it runs, and the check of the
 * values a run would get. The check is the scaffolder's own (jsonschema against each
 * parameter step), so a dry run predicts what the scaffolder would accept.
 */
export class RunbookForm {
  private readonly parameters: ParameterStep[];

  constructor(private readonly template: Entity) {
    this.parameters = [
      template.spec?.parameters ?? [],
    ].flat() as ParameterStep[];
  }

  private properties(): Array<[string, Record<string, unknown>, boolean]> {
    return this.parameters.flatMap(step =>
      Object.entries(step.properties ?? {}).map(
        ([name, schema]): [string, Record<string, unknown>, boolean] => [
          name,
          schema,
          (step.required ?? []).includes(name),
        ],
      ),
    );
  }

  /** The inputs a caller fills in: all but the entity and the confirmation. */
  inputs(): RunbookInput[] {
    return this.properties()
      .filter(([name]) => name !== ENTITY_FIELD && name !== CONFIRM_FIELD)
      .map(([name, schema, required]) => ({
        name,
        required,
        ...(typeof schema.title === 'string' && { title: schema.title }),
        ...(typeof schema.description === 'string' && {
          description: schema.description,
        }),
        ...(schema.type !== undefined && {
          type: [schema.type].flat().join('|'),
        }),
        ...(schema.default !== undefined && {
          default: schema.default as JsonValue,
        }),
        ...(Array.isArray(schema.enum) && { enum: schema.enum as JsonValue[] }),
      }));
  }

  /** The confirmation the form asks for, if the runbook changes something. */
  confirmation(): RunbookConfirmation | undefined {
    const found = this.properties().find(([name]) => name === CONFIRM_FIELD);
    if (!found) {
      return undefined;
    }
    const [, schema] = found;
    return {
      field: CONFIRM_FIELD,
      value: (schema.const as JsonValue | undefined) ?? true,
      ...(typeof schema.title === 'string' && { title: schema.title }),
      ...(typeof schema.description === 'string' && {
        description: schema.description.trim(),
      }),
    };
  }

  /** The steps the runbook runs, in order. */
  steps(): Array<{ id: string; name?: string; action: string }> {
    const steps = (this.template.spec?.steps ?? []) as Array<{
      id?: string;
      name?: string;
      action?: string;
    }>;
    return steps.map((step, index) => ({
      id: step.id ?? String(index + 1),
      ...(step.name && { name: step.name }),
      action: step.action ?? '',
    }));
  }

  /**
   * What is wrong with `inputs` for a run on `entityRef` (confirmed as the form
   * requires, so that only the inputs are judged). Fields are named as the agent
   * passed them: `inputs.<name>`, `entityRef`.
   */
  problems(entityRef: string, inputs: JsonObject): RunbookProblem[] {
    const known = new Set(this.properties().map(([name]) => name));
    const problems: RunbookProblem[] = Object.keys(inputs)
      .filter(name => !known.has(name))
      .map(name => ({
        field: `inputs.${name}`,
        // The form has no such field: a typo would otherwise be dropped silently.
        message: `is not an input of this runbook (its inputs: ${
          this.inputs()
            .map(input => input.name)
            .join(', ') || 'none'
        })`,
      }));
    const confirmation = this.confirmation();
    const values = {
      ...inputs,
      [ENTITY_FIELD]: entityRef,
      ...(confirmation && { [CONFIRM_FIELD]: confirmation.value }),
    };
    for (const step of this.parameters) {
      for (const error of validate(values, step).errors) {
        const path =
          error.name === 'required'
            ? [String(error.argument)]
            : error.path.map(String);
        const field =
          path[0] === ENTITY_FIELD ? ENTITY_FIELD : `inputs.${path.join('.')}`;
        problems.push({
          field,
          message:
            error.name === 'required' ? 'is required' : String(error.message),
        });
      }
    }
    return problems;
  }
}
