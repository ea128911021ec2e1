import { JsonObject } from '@backstage/types';
import { DeploymentRecord } from '@paved/plugin-deployments-common';
import {
  DeploymentFilter,
  DeploymentStore,
  NewDeployment,
  recordRef,
} from '../database/DeploymentStore';

/** A {@link DeploymentStore} in memory, for tests of what reads and writes records. */
export function memoryDeploymentStore(): DeploymentStore & {
  records: Array<DeploymentRecord & { spec: JsonObject }>;
} {
  const records: Array<DeploymentRecord & { spec: JsonObject }> = [];
  let next = 0;
  const newestFirst = (a: DeploymentRecord, b: DeploymentRecord) =>
    Date.parse(b.startedAt) - Date.parse(a.startedAt) ||
    b.id.localeCompare(a.id);
  const strip = ({
    spec: _spec,
    ...record
  }: DeploymentRecord & { spec: JsonObject }) => record;
  return {
    records,
    async start(deployment: NewDeployment) {
      const existing =
        deployment.operationId &&
        records.find(r => r.operationId === deployment.operationId);
      if (existing) {
        return strip(existing);
      }
      next += 1;
      const record = {
        ...deployment,
        component: recordRef(deployment.component),
        owner: recordRef(deployment.owner),
        id: `d${String(next).padStart(5, '0')}`,
        status: 'in-progress' as const,
        startedAt: deployment.startedAt ?? new Date().toISOString(),
      };
      records.push(record);
      return strip(record);
    },
    async finish(id, outcome) {
      const record = records.find(r => r.id === id);
      if (record) {
        record.status = outcome.status;
        if (outcome.reason) {
          record.reason = outcome.reason;
        }
        record.finishedAt = outcome.finishedAt ?? new Date().toISOString();
      }
    },
    async get(id) {
      return records.find(r => r.id === id);
    },
    async list(filter: DeploymentFilter) {
      return records
        .filter(
          r =>
            (!filter.component ||
              r.component === recordRef(filter.component)) &&
            (!filter.owner || r.owner === recordRef(filter.owner)) &&
            (!filter.environment || r.environment === filter.environment) &&
            (!filter.stage || r.stage === filter.stage) &&
            (!filter.status || r.status === filter.status) &&
            (!filter.since ||
              Date.parse(r.startedAt) >= Date.parse(filter.since)),
        )
        .sort(newestFirst)
        .slice(0, Math.min(filter.limit ?? 1000, 1000))
        .map(strip);
    },
    async previousSucceeded(requestId, before) {
      const pivot = before && records.find(r => r.id === before);
      return records
        .filter(
          r =>
            r.requestId === requestId &&
            r.status === 'succeeded' &&
            (!pivot ||
              (r.id !== pivot.id &&
                Date.parse(r.startedAt) < Date.parse(pivot.startedAt))),
        )
        .sort(newestFirst)[0];
    },
  };
}
