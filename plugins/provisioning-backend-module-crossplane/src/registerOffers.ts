import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { ProvisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { CrossplaneModuleConfig } from './config';
import { CompositeResources } from './CompositeResources';
import { createCompositeResourceType } from './compositeResourceType';
import { selectOffers } from './offers';
import { XrdReader } from './XrdReader';

/**
 * Registers a resource type for each offered XRD the cluster has. Problems with the
 * cluster or with one XRD are logged, never fatal: the rest of the portal starts
 * without them. Types can only be added while the backend starts, so XRDs are read
 * once, here.
 */
export async function registerOffers(deps: {
  kubeConfig: KubeConfig;
  reader: XrdReader;
  offer: CrossplaneModuleConfig['offer'];
  logger: LoggerService;
  types: ProvisioningResourceTypesExtensionPoint;
}): Promise<void> {
  const { kubeConfig, logger, types } = deps;
  let xrds;
  try {
    xrds = await deps.reader.list();
  } catch (error) {
    logger.error(
      `Crossplane composite resources are off: ${(error as Error).message}`,
    );
    return;
  }
  if (!xrds) {
    logger.info(
      'Crossplane composite resources are off: the Kubernetes API serves no apiextensions.crossplane.io/v2 CompositeResourceDefinitions (Crossplane v2 is not installed)',
    );
    return;
  }
  const { offers, skipped } = selectOffers(xrds, deps.offer);
  for (const { xrd, reason, named } of skipped) {
    const message = `Not offering XRD '${xrd}': ${reason}`;
    if (named) {
      logger.warn(message);
    } else {
      logger.info(message);
    }
  }
  const offered: string[] = [];
  for (const offer of offers) {
    try {
      types.addResourceType(
        createCompositeResourceType({
          offer,
          resources: new CompositeResources(kubeConfig, offer),
        }),
      );
      offered.push(`${offer.id} (${offer.xrd})`);
    } catch (error) {
      // E.g. a pattern JavaScript cannot compile: only that XRD is left out.
      logger.warn(
        `Not offering XRD '${offer.xrd}': ${(error as Error).message}`,
      );
    }
  }
  logger.info(
    `Crossplane composite resources offered: ${
      offered.join(', ') || 'none'
    }; a new or changed XRD is offered after a restart`,
  );
}
