import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../api';
import { IncidentsTable } from './IncidentsTable';

/** The open incidents across the organisation, newest first. */
export function OpenIncidents() {
  const api = useApi(incidentsApiRef);
  const incidents = useAsync(
    () => api.listIncidents({ status: ['open'], limit: 100 }),
    [api],
  );
  if (incidents.loading) return <Progress />;
  if (incidents.error) return <ResponseErrorPanel error={incidents.error} />;
  const { items = [], totalCount = 0 } = incidents.value ?? {};
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No open incidents"
        description="Nothing is on fire. When something breaks, open an incident on the Incidents tab of the affected component in the catalog."
      />
    );
  }
  return (
    <IncidentsTable
      title={
        totalCount > items.length
          ? `Open incidents (newest ${items.length} of ${totalCount})`
          : `Open incidents (${totalCount})`
      }
      incidents={items}
      showEntity
      emptyContent={null}
    />
  );
}
