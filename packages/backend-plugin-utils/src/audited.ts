import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * What a mutation's usage event says beyond its outcome.
 *
 * @public
 */
export interface UsageFacts {
  /** What it was done to, e.g. a resource type or an entity ref. */
  subject?: string;
  /** The owning group. */
  team?: string;
  attributes?: Record<string, string | number | boolean>;
}

/**
 * Where {@link audited} records a mutation's usage event. The adoption dashboard's
 * `UsageRecorder` (`@paved/plugin-adoption-node`) is one; declared here by its shape
 * so that auditing does not depend on the adoption plugin.
 *
 * @public
 */
export interface UsageEventRecorder {
  record(
    event: UsageFacts & {
      action: string;
      outcome: 'succeeded' | 'failed';
      actor?: string;
      durationMs?: number;
    },
  ): Promise<void>;
}

/**
 * Runs a mutation as an audit event: created before, completed with `success` (and
 * what `resultMeta` says of the result) or `fail` (with the error, also for
 * refusals). With `usage`, it is also recorded as a usage event for the adoption
 * dashboard, with its outcome, duration and facts: `usage.facts`, overridden by what
 * `resultUsage` says of the result, or on failure by what `usage.errorFacts` says of
 * the error.
 *
 * @public
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: Parameters<AuditorService['createEvent']>[0]['request'];
    meta: JsonObject;
    /** `medium` unless said otherwise; high-volume, harmless mutations are `low`. */
    severityLevel?: Parameters<
      AuditorService['createEvent']
    >[0]['severityLevel'];
    usage?: {
      recorder: UsageEventRecorder;
      actor?: string;
      facts?: UsageFacts;
      errorFacts?: (error: unknown) => UsageFacts;
    };
  },
  fn: () => Promise<T>,
  resultMeta?: (result: T) => JsonObject,
  resultUsage?: (result: T) => UsageFacts,
): Promise<T> {
  const started = Date.now();
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel ?? 'medium',
    request: options.request,
    meta: options.meta,
  });
  const recordUsage = async (
    outcome: 'succeeded' | 'failed',
    facts: UsageFacts = {},
  ) => {
    if (!options.usage) return;
    const { recorder, actor } = options.usage;
    const merged: UsageFacts = { ...options.usage.facts, ...facts };
    await recorder.record({
      action: options.eventId,
      outcome,
      actor,
      durationMs: Date.now() - started,
      ...(merged.subject ? { subject: merged.subject } : {}),
      ...(merged.team ? { team: merged.team } : {}),
      ...(merged.attributes ? { attributes: merged.attributes } : {}),
    });
  };
  try {
    const result = await fn();
    await event.success(resultMeta ? { meta: resultMeta(result) } : undefined);
    await recordUsage('succeeded', resultUsage?.(result));
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    await recordUsage('failed', options.usage?.errorFacts?.(error));
    throw error;
  }
}
