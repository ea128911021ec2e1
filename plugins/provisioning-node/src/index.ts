/**
 * The contract between the provisioning plugin and the modules that add resource
 * types to it.
 *
 * @packageDocumentation
 */
export * from './ResourceType';
export * from './StepContext';
export * from './NonRetryableError';
export * from './extensions';
export { FIELD_MANAGER } from './fieldManager';
export * from './environmentAttachment';
export * from './credentials';
export { setOutputs } from './setOutputs';
export { readAccessRule } from './readAccessRule';
export { readDeletionRetention } from './deletionRetention';
export * from './kubernetes';
export { inMemoryRequestLookup } from './inMemoryRequestLookup';
export { listAttachedRequests } from './attachedRequests';
export * from './scoreResources';
export { resourceTypeLookup } from './resourceTypeLookup';
export { scoreClaimParameters } from './scoreClaimParameters';
