import {
  AuditorService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  AgentActions,
  AgentPolicy,
  decideAgentCall,
  principalRef,
} from '@paved/agent-guardrails';
import { audited } from '@paved/backend-plugin-utils';
import { ExpiryService } from '../service/ExpiryService';
import { OperationService } from '../service/OperationService';
import { ImposedApproval } from '../service/RequestPlan';
import { RequestService } from '../service/RequestService';

/** What the provisioning plugin's agent actions use: the services REST uses. */
export interface ProvisioningActionsDeps {
  actions: AgentActions;
  /** The same policy `actions` enforces, for plans of what a real call would meet. */
  agentPolicy: AgentPolicy;
  requests: RequestService;
  operations: OperationService;
  expiry: ExpiryService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  /** The portal's base URL (`app.baseUrl`), for links to request pages. */
  appBaseUrl?: string;
}

export const PLUGIN_ID = 'provisioning';

/**
 * What `paved.agents` would make of the real call a plan or dry run stands for: the
 * approval it would impose, or the refusal it would give. The plan shows both, so
 * that an agent learns before it tries.
 */
export function realCallOf(
  policy: AgentPolicy,
  call: { name: string; kind: 'request' | 'destructive'; approvable?: boolean },
): { imposed: ImposedApproval; refusal?: { rule: string; message: string } } {
  const decision = decideAgentCall(policy, {
    actionId: `${PLUGIN_ID}:${call.name}`,
    kind: call.kind,
    dryRun: false,
    approvable: call.approvable,
  });
  if (decision.outcome === 'refuse') {
    return {
      imposed: {},
      refusal: { rule: decision.rule, message: decision.message },
    };
  }
  if (decision.outcome === 'approval') {
    return {
      imposed: {
        approval: { reason: decision.reason, approvers: policy.approvers },
      },
    };
  }
  return { imposed: {} };
}

/**
 * Runs a mutation as the same audit event the REST route writes (`request-create`,
 * `request-delete`, ...), marked as an agent's, so that the provisioning audit
 * trail is complete whichever way a change came in.
 */
export function auditedAsAgent<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    credentials: BackstageCredentials;
    meta: JsonObject;
  },
  fn: () => Promise<T>,
  resultMeta?: (result: T) => JsonObject,
): Promise<T> {
  return audited(
    auditor,
    {
      eventId: options.eventId,
      request: undefined,
      meta: {
        ...options.meta,
        actor: principalRef(options.credentials),
        via: 'agent-action',
      },
    },
    fn,
    resultMeta,
  );
}

/** The portal page of a request and its REST resource. */
export function linksOf(appBaseUrl: string | undefined, id: string) {
  return {
    ...(appBaseUrl
      ? { page: `${appBaseUrl.replace(/\/$/, '')}/self-service/requests/${id}` }
      : {}),
    api: `/api/provisioning/requests/${id}`,
  };
}
