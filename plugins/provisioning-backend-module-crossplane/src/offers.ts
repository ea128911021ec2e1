import { JsonObject, JsonValue } from '@backstage/types';
import { isJsonObject } from './isJsonObject';
import { XrdOfferConfig } from './config';
import { parametersOf } from './parametersOf';
import { typeIdOf } from './typeId';
import {
  CompositeResourceDefinition,
  isEstablished,
  offeredVersion,
} from './xrd';

/** XRD annotations that name the form and describe it, for `offer: all`. */
export const TITLE_ANNOTATION = 'paved.dev/title';
export const DESCRIPTION_ANNOTATION = 'paved.dev/description';

/** The longest composite resource name: Crossplane uses it as a label value. */
const MAX_NAME_LENGTH = 63;

/**
 * An XRD as a resource type offers it: what the form shows, what requests apply.
 *
 * @public
 */
export interface CompositeResourceOffer {
  /** The XRD's name, `<plural>.<group>`. */
  xrd: string;
  /** The resource type id, see `typeIdOf`. */
  id: string;
  /** `<group>/<version>` of the composite resources requests apply. */
  apiVersion: string;
  kind: string;
  title: string;
  description: string;
  catalogType: string;
  /** The form: the JSON Schema of the XRD's spec, plus `environmentName`. */
  parameters: JsonObject;
  /** Whether the spec declares `writeConnectionSecretToRef.name`, which Paved sets. */
  connectionSecret: boolean;
  /** The longest request name. */
  maxNameLength: number;
  approval?: { reason: string; approvers?: string };
}

/**
 * An XRD that is not offered, and why.
 *
 * @public
 */
export interface SkippedXrd {
  xrd: string;
  reason: string;
  /** Whether the config names it (then it is worth a warning). */
  named: boolean;
}

function descriptionOf(
  xrd: CompositeResourceDefinition,
  schema: JsonObject | undefined,
  kind: string,
): string {
  const annotated = xrd.metadata?.annotations?.[DESCRIPTION_ANNOTATION];
  const declared =
    typeof schema?.description === 'string' ? schema.description : undefined;
  const what =
    annotated ?? declared ?? `A ${kind} composite resource made by Crossplane.`;
  return `${what.trim()} It is created in your team's namespace (or the namespace of the environment it is attached to) as a ${kind} of ${
    xrd.spec.group
  }, and is ready when Crossplane reports it Ready and Synced.`;
}

/** The longest name the XRD's schema allows for its composite resources. */
function maxNameLengthOf(schema: JsonObject | undefined): number {
  let declared: JsonValue | undefined = schema;
  for (const key of ['properties', 'metadata', 'properties', 'name']) {
    declared = isJsonObject(declared) ? declared[key] : undefined;
  }
  declared = isJsonObject(declared) ? declared.maxLength : undefined;
  return typeof declared === 'number' && declared < MAX_NAME_LENGTH
    ? declared
    : MAX_NAME_LENGTH;
}

/**
 * The offer of one XRD with its settings from config; throws why it cannot be
 * offered (not namespaced, not established, no served version, a clashing field).
 */
export function offerOf(
  xrd: CompositeResourceDefinition,
  settings: Omit<XrdOfferConfig, 'xrd'> = {},
): CompositeResourceOffer {
  const { group, names } = xrd.spec;
  if ((xrd.spec.scope ?? 'Namespaced') !== 'Namespaced') {
    throw new Error(
      `its scope is ${xrd.spec.scope}; only namespaced composite resources (Crossplane v2's default) are offered`,
    );
  }
  if (!isEstablished(xrd)) {
    throw new Error(
      'Crossplane has not established it (its Established condition is not True)',
    );
  }
  const version = offeredVersion(xrd);
  if (!version) {
    throw new Error('it serves no version');
  }
  const schema = version.schema?.openAPIV3Schema;
  const title =
    settings.title ??
    xrd.metadata?.annotations?.[TITLE_ANNOTATION] ??
    names.kind;
  const { parameters, connectionSecret } = parametersOf(schema, names.kind);
  const approval = settings.requiresApproval
    ? {
        reason:
          typeof settings.requiresApproval === 'object'
            ? settings.requiresApproval.reason
            : `every ${title} needs an approval`,
        ...(settings.approvers ? { approvers: settings.approvers } : {}),
      }
    : undefined;
  return {
    xrd: xrd.metadata!.name!,
    id: typeIdOf(xrd.metadata!.name!),
    apiVersion: `${group}/${version.name}`,
    kind: names.kind,
    title,
    description: descriptionOf(xrd, schema, names.kind),
    catalogType:
      settings.catalogType ?? `crossplane-${names.kind.toLowerCase()}`,
    parameters,
    connectionSecret,
    maxNameLength: maxNameLengthOf(schema),
    ...(approval ? { approval } : {}),
  };
}

/**
 * The offers of `offer` (`all`, or the XRDs it names) among the cluster's XRDs, and
 * the XRDs left out with their reasons.
 */
export function selectOffers(
  xrds: CompositeResourceDefinition[],
  offer: 'all' | XrdOfferConfig[],
): { offers: CompositeResourceOffer[]; skipped: SkippedXrd[] } {
  const byName = new Map(xrds.map(xrd => [xrd.metadata?.name ?? '', xrd]));
  const wanted: XrdOfferConfig[] =
    offer === 'all'
      ? [...byName.keys()].sort().map(name => ({ xrd: name }))
      : offer;
  const named = offer !== 'all';
  const offers: CompositeResourceOffer[] = [];
  const skipped: SkippedXrd[] = [];
  for (const { xrd: name, ...settings } of wanted) {
    const xrd = byName.get(name);
    if (!xrd) {
      skipped.push({ xrd: name, reason: 'the cluster has no such XRD', named });
      continue;
    }
    try {
      offers.push(offerOf(xrd, settings));
    } catch (error) {
      skipped.push({ xrd: name, reason: (error as Error).message, named });
    }
  }
  return { offers, skipped };
}
