//

export * from '../models/AddIncidentNoteRequest.model';
export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/Incident.model';
export * from '../models/IncidentDetails.model';
export * from '../models/IncidentList.model';
export * from '../models/IncidentStats.model';
export * from '../models/ModelError.model';
export * from '../models/OpenIncidentBody.model';
export * from '../models/ResolveIncidentRequest.model';
export * from '../models/SetIncidentStatusRequest.model';
export * from '../models/Severity.model';
export * from '../models/StatsRow.model';
export * from '../models/TimelineEvent.model';
export * from '../models/TimelineEventRunbookRun.model';
