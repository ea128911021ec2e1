/** The id of the resource type. @public */
export const RESOURCE_TYPE_ID = 'environment';
