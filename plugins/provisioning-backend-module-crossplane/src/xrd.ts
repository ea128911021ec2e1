import { JsonObject } from '@backstage/types';
import { KubernetesObject } from '@kubernetes/client-node';

/** The group and version of Crossplane v2's CompositeResourceDefinition. */
export const XRD_GROUP = 'apiextensions.crossplane.io';
export const XRD_VERSION = 'v2';
export const XRD_PLURAL = 'compositeresourcedefinitions';

/**
 * A status condition as Crossplane writes it on XRDs and composite resources.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  /** The `metadata.generation` the condition is about (Crossplane v2 sets it). */
  observedGeneration?: number;
}

/** One version of the composite resources an XRD defines. */
export interface XrdVersion {
  name: string;
  served: boolean;
  /** The version Compositions target; Crossplane makes it the CRD's storage version. */
  referenceable: boolean;
  schema?: { openAPIV3Schema?: JsonObject };
}

/**
 * The parts of a Crossplane v2 `CompositeResourceDefinition` the module reads.
 *
 * @public
 */
export interface CompositeResourceDefinition extends KubernetesObject {
  spec: {
    group: string;
    names: { kind: string; plural: string; singular?: string };
    /** `Namespaced` (v2's default), `Cluster` or `LegacyCluster` (v1's claims). */
    scope?: string;
    versions: XrdVersion[];
  };
  status?: { conditions?: Condition[] };
}

/**
 * The version requests apply: the referenceable one (the storage version, the one
 * Compositions target), else the first served one; undefined when none is served.
 */
export function offeredVersion(
  xrd: CompositeResourceDefinition,
): XrdVersion | undefined {
  const served = xrd.spec.versions.filter(version => version.served);
  return served.find(version => version.referenceable) ?? served[0];
}

/** Whether Crossplane established the XRD, i.e. the API server serves its composite resources. */
export function isEstablished(xrd: CompositeResourceDefinition): boolean {
  return !!xrd.status?.conditions?.some(
    condition =>
      condition.type === 'Established' && condition.status === 'True',
  );
}
