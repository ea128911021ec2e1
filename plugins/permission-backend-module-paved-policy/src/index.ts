/**
 * Paved's permission policy: read for all, owners change their own, admins all.
 *
 * @packageDocumentation
 */
export { permissionModulePavedPolicy as default } from './module';
export { PavedPermissionPolicy } from './PavedPermissionPolicy';
