import { JsonObject } from '@backstage/types';
import {
  InvalidObjectError,
  MANAGED_BY_LABEL,
  MissingKindError,
} from '@paved/kubernetes-access';
import {
  deliveryNamespace,
  ENVIRONMENT_NAME_PARAMETER,
  environmentReferences,
  NonRetryableError,
  recordedDeliveryNamespace,
  ResourceType,
  StatusContext,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompositeResource, CompositeResources } from './CompositeResources';
import { readinessOf } from './conditions';
import { driftedFields } from './drift';
import { CompositeResourceOffer } from './offers';
import { statusSections } from './statusSections';

/** The label that ties a composite resource to the request that made it. */
export const REQUEST_ID_LABEL = 'paved.dev/request-id';
const OWNER_ANNOTATION = 'paved.dev/owner';
/** The label Crossplane puts on every resource it composes for a composite resource. */
const COMPOSITE_LABEL = 'crossplane.io/composite';
/** The output that records where the composite resource was made. */
const NAMESPACE_OUTPUT = 'namespace';

/**
 * The Secret a composition writes a composite resource's connection details to, in
 * its namespace, when the XRD declares `spec.writeConnectionSecretToRef.name`.
 *
 * @public
 */
export function connectionSecretName(name: string): string {
  return `${name}-connection`;
}

/** Failures that retrying cannot mend. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof MissingKindError ||
      error instanceof InvalidObjectError
    ) {
      throw new NonRetryableError(error.message);
    }
    throw error;
  }
}

/**
 * A resource type for one offered XRD: each request is a composite resource named
 * after it, server-side applied in the owning team's namespace (or its
 * environment's), ready when Crossplane reports it Ready and Synced.
 *
 * @public
 */
export function createCompositeResourceType(options: {
  offer: CompositeResourceOffer;
  resources: CompositeResources;
  /** How long `destroy` waits for Crossplane to finish deleting; 2 minutes if absent. */
  deletionWaitMs?: number;
  /** How often `destroy` looks whether it is gone; every second if absent. */
  deletionPollMs?: number;
}): ResourceType<JsonObject> {
  const { offer, resources } = options;
  const deletionWaitMs = options.deletionWaitMs ?? 120_000;
  const deletionPollMs = options.deletionPollMs ?? 1_000;

  /** The composite resource as the request says it, in `namespace`. */
  const desired = (
    ctx: Pick<StatusContext<JsonObject>, 'request'>,
    namespace: string,
  ): CompositeResource => {
    const { id, name, owner, parameters } = ctx.request;
    const { [ENVIRONMENT_NAME_PARAMETER]: _attachment, ...spec } = parameters;
    return {
      apiVersion: offer.apiVersion,
      kind: offer.kind,
      metadata: {
        name,
        namespace,
        labels: { [MANAGED_BY_LABEL]: 'paved', [REQUEST_ID_LABEL]: id },
        annotations: { [OWNER_ANNOTATION]: owner },
      },
      spec: {
        ...spec,
        ...(offer.connectionSecret
          ? { writeConnectionSecretToRef: { name: connectionSecretName(name) } }
          : {}),
      },
    };
  };

  /** Where the composite resource was made (the team's namespace if never). */
  const recorded = (
    ctx: Pick<StatusContext<JsonObject>, 'request' | 'outputs'>,
  ) => {
    const { namespace } = recordedDeliveryNamespace(ctx, NAMESPACE_OUTPUT);
    return {
      namespace,
      name: ctx.request.name,
      what: resources.describe(namespace, ctx.request.name),
    };
  };

  return {
    id: offer.id,
    title: offer.title,
    description: offer.description,
    catalogType: offer.catalogType,
    parameters: offer.parameters,
    validateName: name =>
      name.length > offer.maxNameLength
        ? `must be at most ${offer.maxNameLength} characters (the XRD's limit for ${offer.kind} names)`
        : undefined,
    references: environmentReferences,
    // A copy of an environment gets a composite resource of its own, with the same spec.
    environmentCopy: {},
    ...(offer.approval
      ? { policy: { requiresApproval: () => offer.approval } }
      : {}),

    async provision(ctx) {
      const { namespace, environment } = await deliveryNamespace(ctx);
      const { name } = ctx.request;
      const what = resources.describe(namespace, name);
      // First, so that deletion finds it even when applying fails.
      await ctx.setOutput(NAMESPACE_OUTPUT, namespace);
      if (!environment) {
        await resources.ensureNamespace(namespace);
      }
      const existing = await guarded(() => resources.read(namespace, name));
      const madeBy = existing?.metadata?.labels?.[REQUEST_ID_LABEL];
      if (existing && madeBy !== ctx.request.id) {
        throw new NonRetryableError(
          `${what} already exists and was not made by this request; choose another name`,
        );
      }
      const applied = await guarded(() =>
        resources.apply(desired(ctx, namespace)),
      );
      ctx.logger.info(
        `Applied ${what} (${offer.apiVersion}, uid ${applied.metadata?.uid})`,
      );
      await ctx.setOutput('apiVersion', offer.apiVersion);
      await ctx.setOutput('kind', offer.kind);
      await ctx.setOutput('name', name);
      if (offer.connectionSecret) {
        await ctx.setOutput('connectionSecretName', connectionSecretName(name));
        await ctx.setOutput('connectionSecretNamespace', namespace);
      }
      // The Kubernetes tab of its catalog Resource shows what Crossplane composed.
      await ctx.setOutput('catalogAnnotations', {
        'backstage.io/kubernetes-namespace': namespace,
        'backstage.io/kubernetes-label-selector': `${COMPOSITE_LABEL}=${name}`,
      });
    },

    async observe(ctx) {
      const { namespace, name, what } = recorded(ctx);
      const resource = await guarded(() => resources.read(namespace, name));
      if (!resource) {
        return { ready: false, message: `${what} does not exist (yet)` };
      }
      const readiness = readinessOf(resource);
      if (readiness.state === 'failed') {
        // Retried with backoff (Crossplane may mend it), shown as the request's error.
        throw new Error(`${what} is failing: ${readiness.message}`);
      }
      return { ready: readiness.state === 'ready', message: readiness.message };
    },

    async status(ctx) {
      const { namespace, name, what } = recorded(ctx);
      const resource = await resources.read(namespace, name);
      if (!resource) {
        return {
          sections: [
            { title: 'Conditions', message: `${what} does not exist` },
          ],
        };
      }
      return { sections: statusSections(offer.kind, resource.status) };
    },

    async reconcile(ctx) {
      const { namespace, name, what } = recorded(ctx);
      const want = desired(ctx, namespace);
      const live = await resources.read(namespace, name);
      if (live?.metadata?.deletionTimestamp) {
        return [];
      }
      const drifted = live
        ? driftedFields(
            { spec: want.spec, labels: want.metadata?.labels },
            { spec: live.spec, labels: live.metadata?.labels },
          )
        : [];
      if (live && drifted.length === 0) {
        return [];
      }
      if (
        !live &&
        !recordedDeliveryNamespace(ctx, NAMESPACE_OUTPUT).environment
      ) {
        await resources.ensureNamespace(namespace);
      }
      await resources.apply(want);
      return [
        live
          ? `Put back ${drifted.join(', ')} of ${what}, changed by hand`
          : `Applied ${what} again: it had been deleted by hand`,
      ];
    },

    async destroy(ctx) {
      const { namespace, name, what } = recorded(ctx);
      let existed: boolean;
      try {
        existed = await resources.delete(namespace, name);
      } catch (error) {
        if (error instanceof MissingKindError) {
          ctx.logger.info(`Nothing to delete: ${error.message}`);
          return;
        }
        throw error;
      }
      if (!existed) {
        ctx.logger.info(`${what} was already gone`);
        return;
      }
      // Crossplane's finalizer keeps it until what it composed is deleted.
      const deadline = Date.now() + deletionWaitMs;
      for (;;) {
        const left = await resources.read(namespace, name);
        if (!left) {
          ctx.logger.info(`Deleted ${what}`);
          return;
        }
        if (Date.now() >= deadline) {
          throw new Error(
            `${what} is still being deleted: Crossplane removes it once what it composed is gone (finalizers: ${
              left.metadata?.finalizers?.join(', ') || 'none'
            })`,
          );
        }
        await sleep(deletionPollMs, undefined, { signal: ctx.signal });
      }
    },
  };
}
