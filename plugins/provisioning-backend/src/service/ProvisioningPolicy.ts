import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { JsonObject, JsonPrimitive, JsonValue } from '@backstage/types';
import {
  ReferencedRequest,
  ResourceRequestInput,
  ResourceType,
  ResourceTypeAction,
  StepRequest,
} from '@paved/plugin-provisioning-node';

/** Entity refs compare case-insensitively; stored and compared in lower case. */
export function normalizeGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

interface QuotaRule {
  type?: string;
  owner?: string;
  max: number;
}

interface ApprovalRule {
  name: string;
  types?: string[];
  parameter?: string;
  equals?: JsonPrimitive;
  oneOf?: JsonPrimitive[];
  greaterThan?: number;
  approvers?: string;
}

const DEFAULT_APPROVERS = 'group:default/platform-team';

function readParameter(
  parameters: JsonValue,
  path: string,
): JsonValue | undefined {
  let value: JsonValue | undefined = parameters;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return undefined;
    }
    value = value[key];
  }
  return value;
}

/**
 * Quotas and approval rules from `provisioning.policy`, plus the resource types'
 * own policies. See `config.d.ts` for the configuration.
 */
export class ProvisioningPolicy {
  static fromConfig(config: Config): ProvisioningPolicy {
    const policy = config.getOptionalConfig('provisioning.policy');
    const quotas = (policy?.getOptionalConfigArray('quotas') ?? []).map(
      (quota): QuotaRule => ({
        type: quota.getOptionalString('type'),
        owner: quota.has('owner')
          ? normalizeGroupRef(quota.getString('owner'))
          : undefined,
        max: quota.getNumber('max'),
      }),
    );
    const approvals = (policy?.getOptionalConfigArray('approvals') ?? []).map(
      (rule): ApprovalRule => {
        const conditions = ['equals', 'oneOf', 'greaterThan'].filter(key =>
          rule.has(key),
        );
        if (rule.has('parameter') !== conditions.length > 0) {
          throw new Error(
            `provisioning.policy.approvals rule '${rule.getString(
              'name',
            )}' needs both a 'parameter' and one of 'equals', 'oneOf', 'greaterThan' (or neither, to match every request)`,
          );
        }
        return {
          name: rule.getString('name'),
          types: rule.getOptionalStringArray('types'),
          parameter: rule.getOptionalString('parameter'),
          equals: rule.getOptional<JsonPrimitive>('equals'),
          oneOf: rule.getOptional<JsonPrimitive[]>('oneOf'),
          greaterThan: rule.getOptionalNumber('greaterThan'),
          approvers: rule.has('approvers')
            ? normalizeGroupRef(rule.getString('approvers'))
            : undefined,
        };
      },
    );
    const defaultApprovers = normalizeGroupRef(
      policy?.getOptionalString('defaultApprovers') ?? DEFAULT_APPROVERS,
    );
    return new ProvisioningPolicy(quotas, approvals, defaultApprovers);
  }

  constructor(
    private readonly quotas: QuotaRule[],
    private readonly approvals: ApprovalRule[],
    private readonly defaultApprovers: string,
  ) {}

  /**
   * The owner's quota for the type: the most specific matching rule wins (owner and
   * type, then owner, then type, then neither). Undefined means unlimited.
   */
  quotaFor(owner: string, type: string): number | undefined {
    const specificity = (rule: QuotaRule) =>
      (rule.owner ? 2 : 0) + (rule.type ? 1 : 0);
    const matching = this.quotas
      .filter(rule => !rule.owner || rule.owner === owner)
      .filter(rule => !rule.type || rule.type === type)
      .sort((a, b) => specificity(b) - specificity(a));
    return matching[0]?.max;
  }

  /** Who must approve the request and why, or undefined when nobody has to. */
  approvalFor(
    request: ResourceRequestInput,
    type: ResourceType,
    references: Record<string, ReferencedRequest> = {},
  ): { group: string; reason: string } | undefined {
    for (const rule of this.approvals) {
      const reason = this.matches(rule, request);
      if (reason) {
        return {
          group: rule.approvers ?? this.defaultApprovers,
          reason: `rule '${rule.name}': ${reason}`,
        };
      }
    }
    const own = type.policy?.requiresApproval?.(request, { references });
    if (own) {
      return {
        group: own.approvers
          ? normalizeGroupRef(own.approvers)
          : this.defaultApprovers,
        reason: `resource type '${type.id}': ${own.reason}`,
      };
    }
    return undefined;
  }

  /**
   * The approval that a request or action made by an AI agent waits for when
   * `paved.agents` lets it through only with one and no rule of its own asks for
   * one: the agent policy's approvers if it names them, else the default approvers.
   */
  forcedApproval(forced: { reason: string; approvers?: string }): {
    group: string;
    reason: string;
  } {
    return {
      group: forced.approvers
        ? normalizeGroupRef(forced.approvers)
        : this.defaultApprovers,
      reason: forced.reason,
    };
  }

  /**
   * Who must approve a run of a day-2 action and why, or undefined when nobody has
   * to: the action's own `requiresApproval`, with the default approvers.
   */
  approvalForAction(
    action: { id: string; definition: ResourceTypeAction },
    input: JsonObject,
    target: { request: StepRequest; outputs: JsonObject },
  ): { group: string; reason: string } | undefined {
    const own = action.definition.requiresApproval?.(input, target);
    if (!own) {
      return undefined;
    }
    return {
      group: own.approvers
        ? normalizeGroupRef(own.approvers)
        : this.defaultApprovers,
      reason: `action '${action.id}' of resource type '${target.request.type}': ${own.reason}`,
    };
  }

  /** Why the rule matches the request, or undefined when it does not. */
  private matches(
    rule: ApprovalRule,
    request: ResourceRequestInput,
  ): string | undefined {
    if (rule.types && !rule.types.includes(request.type)) {
      return undefined;
    }
    if (!rule.parameter) {
      return `every '${request.type}' request`;
    }
    const field = `parameters.${rule.parameter}`;
    const value = readParameter(request.parameters, rule.parameter);
    if (rule.equals !== undefined && value === rule.equals) {
      return `${field} is ${JSON.stringify(value)}`;
    }
    if (rule.oneOf && rule.oneOf.some(option => option === value)) {
      return `${field} is ${JSON.stringify(value)}`;
    }
    if (
      rule.greaterThan !== undefined &&
      typeof value === 'number' &&
      value > rule.greaterThan
    ) {
      return `${field} is ${value}, above ${rule.greaterThan}`;
    }
    return undefined;
  }
}
