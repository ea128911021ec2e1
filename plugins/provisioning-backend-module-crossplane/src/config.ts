import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { formatZodError } from '@paved/backend-plugin-utils';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';
import { z } from 'zod';

export type { KubernetesAccess };

const ROOT = 'provisioning.crossplane';

/** `<plural>.<group>`: a DNS subdomain of at least two labels. */
const XRD_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function isGroupRef(ref: string): boolean {
  try {
    return (
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }).kind.toLocaleLowerCase('en-US') === 'group'
    );
  } catch {
    return false;
  }
}

const offerSchema = z
  .object({
    xrd: z.string().regex(XRD_NAME, {
      message:
        "must be the name of a CompositeResourceDefinition, '<plural>.<group>'",
    }),
    title: z.string().trim().min(1).optional(),
    catalogType: z
      .string()
      .regex(KEBAB_CASE, { message: 'must be kebab-case, e.g. bucket' })
      .optional(),
    requiresApproval: z
      .union([
        z.boolean(),
        z.object({ reason: z.string().trim().min(1) }).strict(),
      ])
      .optional(),
    approvers: z
      .string()
      .refine(isGroupRef, {
        message: 'must be a group entity ref, e.g. group:default/platform-team',
      })
      .optional(),
  })
  .strict()
  .superRefine((offer, ctx) => {
    if (offer.approvers && !offer.requiresApproval) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvers'],
        message: 'applies only with requiresApproval',
      });
    }
  });

/**
 * The schema of the section, nested so that errors name full keys. `offer` is one
 * schema or the other, by what was given: as a union, zod would report only that
 * neither fits, not what is wrong in the list.
 */
function crossplaneSchema(offer: unknown) {
  return z.object({
    provisioning: z.object({
      crossplane: z
        .object({
          // Read (and checked) by readKubernetesSection.
          kubernetes: z.unknown().optional(),
          offer: Array.isArray(offer)
            ? z.array(offerSchema)
            : z
                .literal('all', {
                  message: "must be 'all' or a list of XRDs to offer",
                })
                .default('all'),
        })
        .strict()
        .superRefine(({ offer: offers }, ctx) => {
          if (!Array.isArray(offers)) {
            return;
          }
          const seen = new Set<string>();
          offers.forEach(({ xrd }, index) => {
            if (seen.has(xrd)) {
              ctx.addIssue({
                code: 'custom',
                path: ['offer', index, 'xrd'],
                message: `'${xrd}' is offered twice`,
              });
            }
            seen.add(xrd);
          });
        }),
    }),
  });
}

/**
 * How one XRD is offered, from `provisioning.crossplane.offer`.
 *
 * @public
 */
export interface XrdOfferConfig {
  /** The XRD's name, `<plural>.<group>`. */
  xrd: string;
  title?: string;
  catalogType?: string;
  /** An approval for every request; `true` gives a reason naming the type. */
  requiresApproval?: boolean | { reason: string };
  /** Who approves; `provisioning.policy.defaultApprovers` if absent. */
  approvers?: string;
}

/**
 * `provisioning.crossplane`, validated.
 *
 * @public
 */
export interface CrossplaneModuleConfig {
  kubernetes: KubernetesAccess;
  /** The XRDs offered as resource types: each listed one, or every one the cluster has. */
  offer: 'all' | XrdOfferConfig[];
}

/**
 * Reads `provisioning.crossplane`; undefined when the section is absent. Throws an
 * error naming every invalid key, so that the backend does not start with it.
 *
 * @public
 */
export function readCrossplaneConfig(
  root: Config,
): CrossplaneModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const raw = config.get();
  const parsed = crossplaneSchema(
    (raw as { offer?: unknown } | null)?.offer,
  ).safeParse({ provisioning: { crossplane: raw } });
  if (!parsed.success) {
    throw new Error(`Invalid config: ${formatZodError(parsed.error)}`);
  }
  return {
    kubernetes: readKubernetesSection(config, ROOT),
    offer: parsed.data.provisioning.crossplane.offer,
  };
}
