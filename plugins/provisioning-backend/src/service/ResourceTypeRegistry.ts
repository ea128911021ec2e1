import { InputError, NotFoundError } from '@backstage/errors';
import { ResourceTypeInfo } from '@paved/plugin-provisioning-common';
import {
  ResourceType,
  ResourceTypeAction,
  ResourceTypeLookup,
  resourceTypeLookup,
} from '@paved/plugin-provisioning-node';
import { ParameterValidator, ValidateParameters } from './ParameterValidator';

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const NO_INPUT = {
  type: 'object',
  properties: {},
  additionalProperties: false,
};

/** A registered type with its compiled validators. */
export interface RegisteredType {
  type: ResourceType;
  validateParameters: ValidateParameters;
  actions: Map<
    string,
    { action: ResourceTypeAction; validateInput: ValidateParameters }
  >;
}

/**
 * The resource types modules registered through the extension point. A type with an
 * invalid id or schema, or a Score resource type another type already provides, fails
 * the backend's start, not the first request. It is the lookup steps and checks get.
 */
export class ResourceTypeRegistry implements ResourceTypeLookup {
  private readonly types = new Map<string, RegisteredType>();
  private readonly validator = new ParameterValidator();
  private scoreLookup: ResourceTypeLookup = resourceTypeLookup([]);

  add(type: ResourceType): void {
    if (!ID_PATTERN.test(type.id ?? '')) {
      throw new Error(
        `Resource type id '${type.id}' must be kebab-case, e.g. 'postgres' or 'kafka-topic'`,
      );
    }
    if (this.types.has(type.id)) {
      throw new Error(`Resource type '${type.id}' is already registered`);
    }
    // Throws for a `score` without `environmentCopy` or a Score type provided twice.
    const scoreLookup = resourceTypeLookup([...this.all(), type]);
    const actions = new Map<
      string,
      { action: ResourceTypeAction; validateInput: ValidateParameters }
    >();
    for (const [id, action] of Object.entries(type.actions ?? {})) {
      if (!ID_PATTERN.test(id)) {
        throw new Error(
          `Action id '${id}' of resource type '${type.id}' must be kebab-case`,
        );
      }
      actions.set(id, {
        action,
        validateInput: this.compile(
          type.id,
          action.parameters ?? NO_INPUT,
          'input',
        ),
      });
    }
    this.types.set(type.id, {
      type,
      validateParameters: this.compile(type.id, type.parameters, 'parameters'),
      actions,
    });
    this.scoreLookup = scoreLookup;
  }

  forScoreType(scoreType: string): ResourceType | undefined {
    return this.scoreLookup.forScoreType(scoreType);
  }

  scoreTypes(): string[] {
    return this.scoreLookup.scoreTypes();
  }

  /** Every registered type, in the order they were added. */
  all(): ResourceType[] {
    return [...this.types.values()].map(registered => registered.type);
  }

  get(id: string): RegisteredType | undefined {
    return this.types.get(id);
  }

  /** The type of a request body's `type` field; a 400 naming it if unknown. */
  getForInput(id: string): RegisteredType {
    const registered = this.types.get(id);
    if (!registered) {
      throw new InputError(
        `Invalid request: type: unknown resource type '${id}'; known types are ${
          [...this.types.keys()].map(known => `'${known}'`).join(', ') || 'none'
        }`,
      );
    }
    return registered;
  }

  /** An action of a type, by the id in the URL; a 404 naming it if unknown. */
  getAction(typeId: string, actionId: string) {
    const action = this.types.get(typeId)?.actions.get(actionId);
    if (!action) {
      throw new NotFoundError(
        `Resource type '${typeId}' has no action '${actionId}'`,
      );
    }
    return action;
  }

  list(): ResourceTypeInfo[] {
    return [...this.types.values()].map(({ type }) => ({
      id: type.id,
      title: type.title,
      description: type.description,
      catalogType: type.catalogType ?? type.id,
      parameters: type.parameters,
      ...(type.lifetime
        ? { lifetime: { maxHours: type.lifetime.maxHours } }
        : {}),
      ...(type.score ? { scoreTypes: [...type.score.types] } : {}),
      actions: Object.entries(type.actions ?? {}).map(([id, action]) => ({
        id,
        title: action.title,
        description: action.description,
        parameters: action.parameters ?? NO_INPUT,
      })),
    }));
  }

  private compile(
    typeId: string,
    schema: ResourceType['parameters'],
    field: string,
  ): ValidateParameters {
    try {
      return this.validator.compile(schema, field);
    } catch (error) {
      throw new Error(
        `Resource type '${typeId}' has an invalid ${field} schema: ${error}`,
      );
    }
  }
}
