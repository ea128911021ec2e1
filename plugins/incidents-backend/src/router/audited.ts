import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';
import { UsageRecorder } from '../usage/UsageRecorder';

/** What a mutation's usage event says beyond its outcome. */
export interface UsageFacts {
  /** The incident's entity ref. */
  subject?: string;
  /** The owning group. */
  team?: string;
  attributes?: Record<string, string | number | boolean>;
}

/**
 * Runs a mutation as an audit event: created before, completed with `success` (and
 * what the result says) or `fail` (with the error, also for refusals). It is also
 * recorded as a usage event for the adoption dashboard, with its outcome and
 * duration.
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: Request;
    meta: JsonObject;
    usage: { recorder: UsageRecorder; actor: string };
  },
  fn: () => Promise<T>,
  resultMeta: (result: T) => JsonObject,
  resultUsage: (result: T) => UsageFacts,
): Promise<T> {
  const started = Date.now();
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: 'medium',
    request: options.request,
    meta: options.meta,
  });
  const recordUsage = async (
    outcome: 'succeeded' | 'failed',
    facts: UsageFacts = {},
  ) => {
    await options.usage.recorder.record({
      action: options.eventId,
      outcome,
      actor: options.usage.actor,
      durationMs: Date.now() - started,
      ...(facts.subject ? { subject: facts.subject } : {}),
      ...(facts.team ? { team: facts.team } : {}),
      ...(facts.attributes ? { attributes: facts.attributes } : {}),
    });
  };
  try {
    const result = await fn();
    await event.success({ meta: resultMeta(result) });
    await recordUsage('succeeded', resultUsage(result));
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    await recordUsage('failed');
    throw error;
  }
}
