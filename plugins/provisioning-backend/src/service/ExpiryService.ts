import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, stringifyError } from '@backstage/errors';
import {
  extendBodySchema,
  ProvisioningRequest,
  provisioningRequestUpdatePermission,
} from '@paved/plugin-provisioning-common';
import { Clock } from '../clock';
import { ExpiryStore } from '../database/RequestStore';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import { loadRequest, ServiceDependencies } from './ServiceDependencies';

const HOUR_MS = 3_600_000;

/** Who the engine names as the actor of expiries. */
const EXPIRY_ACTOR = 'system:expiry';

/** States in which a request's life can be extended: its resource exists. */
const EXTENSIBLE_STATES = ['ready', 'updating', 'provisioning', 'failed'];

/**
 * The life of resources that expire without activity: activity and owners extend
 * it; a sweep warns the owners before the end and destroys what expired.
 */
export class ExpiryService {
  constructor(
    private readonly deps: ServiceDependencies & {
      expiry: ExpiryStore;
      clock: Clock;
      logger: LoggerService;
      auditor?: AuditorService;
      /** How long before the expiry the owners are warned. */
      warnBeforeMs: number;
    },
  ) {}

  /**
   * Records that someone used the resource (visited its page, called the API):
   * its expiry moves to at least now plus its TTL. Owners only, so that a passing
   * reader does not keep another team's resource alive.
   */
  async recordActivity(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest> {
    const request = await loadRequest(this.deps.store, id);
    await this.deps.authorizer.authorize(
      provisioningRequestUpdatePermission,
      request,
      credentials,
    );
    await this.deps.expiry.recordActivity(id);
    return loadRequest(this.deps.store, id);
  }

  /** Extends the resource's life to `hours` from now, at most its type's limit. */
  async extend(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest> {
    const { hours } = parseInput(extendBodySchema, body, 'extension');
    const request = await loadRequest(this.deps.store, id);
    await this.deps.authorizer.authorize(
      provisioningRequestUpdatePermission,
      request,
      credentials,
    );
    const lifetime = this.deps.types.get(request.type)?.type.lifetime;
    if (!lifetime || !request.expiresAt) {
      throw new ConflictError(
        `Request ${id} does not expire; there is nothing to extend`,
      );
    }
    if (hours > lifetime.maxHours) {
      throw new InputError(
        `Invalid extension: hours: must be at most ${lifetime.maxHours} for ${request.type} resources`,
      );
    }
    if (!EXTENSIBLE_STATES.includes(request.state)) {
      throw new ConflictError(
        `Request ${id} is ${request.state}; only a live resource can be extended`,
      );
    }
    const until = this.deps.clock.now() + hours * HOUR_MS;
    return this.deps.expiry.extend(id, until, actorOf(credentials));
  }

  /**
   * Warns the owners of resources that expire soon, once per expiry, and starts the
   * teardown of those that expired. Safe to run on several backends at once: the
   * teardown is a compare-and-set on the request's state.
   */
  async sweep(): Promise<{ warned: number; expired: number }> {
    const { expiry, clock, notifier } = this.deps;
    let warned = 0;
    for (const request of await expiry.listUnwarnedExpiringBefore(
      clock.now() + this.deps.warnBeforeMs,
    )) {
      await expiry.markExpiryWarned(request.id);
      await notifier?.notify(request, {
        type: 'expiring',
        expiresAt: request.expiresAt!,
      });
      warned += 1;
    }
    let expired = 0;
    for (const request of await expiry.listExpired(50)) {
      try {
        if (await this.expire(request)) {
          expired += 1;
        }
      } catch (error) {
        this.deps.logger.warn(
          `Could not tear down expired request ${request.id}: ${stringifyError(
            error,
          )}`,
        );
      }
    }
    if (expired > 0) {
      this.deps.onWorkQueued();
    }
    return { warned, expired };
  }

  private async expire(request: ProvisioningRequest): Promise<boolean> {
    const audit = await this.deps.auditor?.createEvent({
      eventId: 'request-expire',
      severityLevel: 'medium',
      meta: { requestId: request.id, expiresAt: request.expiresAt },
    });
    const updated = await this.deps.store.transition(request.id, {
      from: ['ready', 'failed'],
      to: 'deleting',
      event: {
        type: 'expired',
        message: `Nobody used it since its expiry at ${request.expiresAt}; tearing it down`,
        actor: EXPIRY_ACTOR,
      },
      enqueue: { kind: 'destroy', createdBy: EXPIRY_ACTOR },
    });
    await audit?.success({ meta: { expired: Boolean(updated) } });
    if (updated) {
      await this.deps.notifier?.notify(updated, { type: 'expired' });
    }
    return Boolean(updated);
  }
}
