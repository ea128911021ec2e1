import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { RequestStore } from '../database/RequestStore';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';
import { stepRequestOf } from './stepRequestOf';
import { StoreRequestLookup } from './StoreRequestLookup';

/** Who the engine names as the actor of drift corrections. */
const RECONCILER_ACTOR = 'system:reconciler';

/** How long one resource's reconciliation may take before it is aborted. */
const RECONCILE_TIMEOUT_MS = 60_000;

/**
 * Puts back what the platform owns in ready resources (the types' `reconcile`
 * hooks) and records each correction in the request's timeline. Requests that an
 * operation is working on are left to it.
 */
export class DriftService {
  constructor(
    private readonly deps: {
      store: RequestStore;
      types: ResourceTypeRegistry;
      logger: LoggerService;
      auditor?: AuditorService;
    },
  ) {}

  async reconcileAll(
    signal?: AbortSignal,
  ): Promise<{ checked: number; corrected: number; failed: number }> {
    const { store, types, logger } = this.deps;
    const requests = new StoreRequestLookup(store, types);
    let checked = 0;
    let corrected = 0;
    let failed = 0;
    for (const type of types.all()) {
      if (!type.reconcile) {
        continue;
      }
      for (const request of await store.listActiveOfType(type.id)) {
        signal?.throwIfAborted();
        // An action waiting for its approval does not run, so it holds nothing up.
        const working =
          request.activeOperation &&
          request.activeOperation.status !== 'pending-approval';
        if (request.state !== 'ready' || working) {
          continue;
        }
        checked += 1;
        try {
          const corrections = await type.reconcile({
            request: stepRequestOf(request),
            outputs: request.outputs,
            logger: logger.child({ requestId: request.id }),
            signal: AbortSignal.any([
              AbortSignal.timeout(RECONCILE_TIMEOUT_MS),
              ...(signal ? [signal] : []),
            ]),
            requests,
            resourceTypes: types,
          });
          for (const correction of corrections) {
            await store.addEvent(request.id, {
              type: 'drift-corrected',
              message: correction,
              actor: RECONCILER_ACTOR,
            });
            await this.audit(request.id, correction);
            corrected += 1;
          }
        } catch (error) {
          failed += 1;
          logger.warn(
            `Could not reconcile ${type.id} '${request.name}' (request ${
              request.id
            }): ${stringifyError(error)}`,
          );
        }
      }
    }
    return { checked, corrected, failed };
  }

  private async audit(requestId: string, correction: string): Promise<void> {
    const event = await this.deps.auditor?.createEvent({
      eventId: 'request-drift-corrected',
      severityLevel: 'medium',
      meta: { requestId, correction },
    });
    await event?.success();
  }
}
