//

export * from '../models/ErrorError.model';
export * from '../models/ListRunbooks200Response.model';
export * from '../models/ListRuns200Response.model';
export * from '../models/ModelError.model';
export * from '../models/Run.model';
export * from '../models/RunBody.model';
export * from '../models/Runbook.model';
export * from '../models/StartRun201Response.model';
