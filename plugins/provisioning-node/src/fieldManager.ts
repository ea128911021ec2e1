/**
 * The field manager of everything Paved's provisioning applies to Kubernetes, so that
 * server-side apply tells its fields from those of other managers.
 *
 * @public
 */
export const FIELD_MANAGER = 'paved-provisioning';
