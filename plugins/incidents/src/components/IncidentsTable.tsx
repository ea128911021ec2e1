import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ActorName, formatDuration, relativeTime } from '@paved/display-react';
import { Incident } from '@paved/plugin-incidents-common';
import { ReactNode } from 'react';
import { incidentRouteRef } from '../routes';
import { SeverityChip, StatusChip } from './Chips';

/** Incidents, newest first, each linking to its page. */
export function IncidentsTable(props: {
  title: string;
  incidents: Incident[];
  showEntity?: boolean;
  actions?: ReactNode;
  emptyContent: ReactNode;
}) {
  const incidentLink = useRouteRef(incidentRouteRef);
  const columns: TableColumn<Incident>[] = [
    {
      title: 'Severity',
      field: 'severity',
      width: '90px',
      render: row => <SeverityChip severity={row.severity} />,
    },
    {
      title: 'Summary',
      field: 'summary',
      render: row =>
        incidentLink ? (
          <Link to={incidentLink({ id: row.id })}>{row.summary}</Link>
        ) : (
          row.summary
        ),
    },
    ...(props.showEntity
      ? [
          {
            title: 'Component',
            field: 'entityRef',
            render: (row: Incident) => (
              <EntityRefLink entityRef={row.entityRef} />
            ),
          },
          {
            title: 'Owner',
            field: 'owner',
            render: (row: Incident) => <EntityRefLink entityRef={row.owner} />,
          },
        ]
      : []),
    {
      title: 'Status',
      field: 'status',
      render: row => <StatusChip status={row.status} />,
    },
    {
      title: 'Opened',
      field: 'openedAt',
      render: row => (
        <>
          {relativeTime(row.openedAt)} by <ActorName actor={row.openedBy} />
        </>
      ),
    },
    {
      title: 'Time to restore',
      field: 'timeToRestoreMs',
      render: row =>
        row.timeToRestoreMs !== undefined
          ? formatDuration(row.timeToRestoreMs)
          : '—',
    },
  ];
  return (
    <Table<Incident>
      title={
        <>
          {props.title} {props.actions}
        </>
      }
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.incidents}
      emptyContent={props.emptyContent}
    />
  );
}
