import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  useApi,
  useAppNavigate,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../api';
import { incidentRouteRef } from '../routes';
import { IncidentsTable } from './IncidentsTable';
import { OpenIncidentDialog } from './OpenIncidentDialog';

/** The "Incidents" tab of a component: its incidents and "Open incident". */
export function EntityIncidentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(incidentsApiRef);
  const navigate = useAppNavigate();
  const incidentLink = useRouteRef(incidentRouteRef);
  const [dialogOpen, setDialogOpen] = useState(false);
  const incidents = useAsyncRetry(
    () => api.listIncidents({ entityRef, limit: 100 }),
    [api, entityRef],
  );

  const openButton = (
    <Button
      color="primary"
      variant="contained"
      size="small"
      onClick={() => setDialogOpen(true)}
    >
      Open incident
    </Button>
  );

  let content;
  if (incidents.loading && !incidents.value) {
    content = <Progress />;
  } else if (incidents.error) {
    content = <ResponseErrorPanel error={incidents.error} />;
  } else if (!incidents.value?.items.length) {
    content = (
      <EmptyState
        missing="data"
        title="No incidents on this component"
        description="When something breaks, open an incident here: its owning team is notified, and the timeline records the notes, status changes and runbooks run until it is resolved."
        action={openButton}
      />
    );
  } else {
    content = (
      <IncidentsTable
        title="Incidents"
        incidents={incidents.value.items}
        actions={openButton}
        emptyContent={null}
      />
    );
  }

  return (
    <>
      {content}
      <OpenIncidentDialog
        entityRef={entityRef}
        open={dialogOpen}
        onClose={() => setDialogOpen(false)}
        onOpened={incident => {
          setDialogOpen(false);
          if (incidentLink) {
            navigate(incidentLink({ id: incident.id }));
          } else {
            incidents.retry();
          }
        }}
      />
    </>
  );
}
