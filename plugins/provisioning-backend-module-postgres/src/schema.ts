/** `component:[namespace/]name`, as the catalog spells entity refs. */
export const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

/** The name of another request of this module's types (see `validateDatabaseName`). */
export const REQUEST_NAME = '^[a-z]([a-z0-9-]*[a-z0-9])?$';
