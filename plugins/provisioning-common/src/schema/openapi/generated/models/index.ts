//

export * from '../models/ActionBody.model';
export * from '../models/Approval.model';
export * from '../models/CreateRequestBody.model';
export * from '../models/DecisionBody.model';
export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/Event.model';
export * from '../models/ExtendBody.model';
export * from '../models/ListRequests200Response.model';
export * from '../models/ListResourceTypes200Response.model';
export * from '../models/LocalClusterStatus.model';
export * from '../models/ModelError.model';
export * from '../models/Operation.model';
export * from '../models/Request.model';
export * from '../models/RequestDetails.model';
export * from '../models/RequestState.model';
export * from '../models/ResourceStatus.model';
export * from '../models/ResourceStatusItem.model';
export * from '../models/ResourceStatusItemValue.model';
export * from '../models/ResourceStatusSection.model';
export * from '../models/ResourceStatusTable.model';
export * from '../models/ResourceType.model';
export * from '../models/ResourceTypeActionsInner.model';
export * from '../models/ResourceTypeLifetime.model';
