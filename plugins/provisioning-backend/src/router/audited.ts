import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs a mutation as an audit event: created before, completed with `success` (and
 * what the result says) or `fail` (with the error, also for refusals).
 */
export async function audited<T>(
  auditor: AuditorService,
  options: { eventId: string; request: Request; meta: JsonObject },
  fn: () => Promise<T>,
  resultMeta: (result: T) => JsonObject,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: 'medium',
    request: options.request,
    meta: options.meta,
  });
  try {
    const result = await fn();
    await event.success({ meta: resultMeta(result) });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
