import { JsonObject } from '@backstage/types';
import { RequestState } from '@paved/plugin-provisioning-common';
import { FieldError } from './fieldErrors';

/**
 * What `POST /requests` would do with a body, computed as it would compute it but
 * without storing anything (`POST /plan`, the `plan-request` agent action).
 */
export interface RequestPlan {
  /** Submitting the same body now would be accepted. */
  valid: boolean;
  /** Every problem found, each naming its field; empty when valid. */
  errors: FieldError[];
  /** The request as it would be stored: owner normalised, parameters with defaults. */
  request: {
    type: string;
    name: string;
    owner: string;
    parameters: JsonObject;
  };
  /** An active request of the same type, owner and name, that submitting returns. */
  existing?: { id: string; state: RequestState };
  /** Null where the body is too broken to tell; max null means no quota. */
  quota: { used: number | null; max: number | null; cost: number | null };
  approval: { required: boolean; group?: string; reason?: string };
  /** For types whose resources expire without activity. */
  lifetime?: { ttlHours: number | null; maxHours: number };
}

/**
 * An approval the caller's own policy imposes on what it asks for, beyond the
 * provisioning policy: the agent policy (`paved.agents`) for calls of AI agents.
 */
export interface ImposedApproval {
  approval?: { reason: string; approvers?: string };
}
