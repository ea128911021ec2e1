/** `component:[namespace/]name`, as the catalog spells entity refs. */
export const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

/** The name of another request (a DNS label, as the engine requires). */
export const REQUEST_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * An object key prefix an expiry rule may name: the characters S3 allows in a tag
 * value, so that servers without lifecycle rules can keep it as a bucket tag.
 */
export const EXPIRY_PREFIX = '^[A-Za-z0-9_.:/=+@-]*$';

/** The longest expiry, in days (ten years). */
export const MAX_EXPIRY_DAYS = 3650;

/** The component property of a type's parameters. */
export const componentSchema = (description: string) => ({
  type: 'string',
  title: 'Component',
  description,
  maxLength: 255,
  pattern: COMPONENT_REF,
});
