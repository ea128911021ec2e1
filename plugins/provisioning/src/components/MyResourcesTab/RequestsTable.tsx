import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Cell, CellText, ColumnConfig, Table, TableProps } from '@backstage/ui';
import {
  ProvisioningRequest,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { isFinal } from '../../lib/states';
import { absoluteTime, relativeTime } from '@paved/display-react';
import { requestRouteRef } from '../../routes';
import { StateChip } from '../StateChip';

/**
 * Requests with their type, owner, state, expiry and last change; names link to
 * them. `table` are the data and pagination of `useTable`.
 */
export function RequestsTable(props: {
  table: Omit<
    TableProps<ProvisioningRequest>,
    'columnConfig' | 'rowConfig' | 'selection' | 'emptyState'
  >;
  types: ResourceTypeInfo[];
  emptyText: string;
}) {
  const requestLink = useRouteRef(requestRouteRef);
  const typeTitle = (id: string) =>
    props.types.find(type => type.id === id)?.title ?? id;

  const columns: ColumnConfig<ProvisioningRequest>[] = [
    {
      id: 'name',
      label: 'Name',
      isRowHeader: true,
      cell: request => (
        <CellText
          title={request.name}
          href={requestLink?.({ id: request.id })}
        />
      ),
    },
    {
      id: 'type',
      label: 'Type',
      cell: request => <CellText title={typeTitle(request.type)} />,
    },
    {
      id: 'owner',
      label: 'Owner',
      cell: request => (
        <Cell>
          <EntityRefLink entityRef={request.owner} hideIcon />
        </Cell>
      ),
    },
    {
      id: 'state',
      label: 'State',
      cell: request => (
        <Cell>
          <StateChip state={request.state} />
        </Cell>
      ),
    },
    {
      id: 'expires',
      label: 'Expires',
      cell: request =>
        request.expiresAt && !isFinal(request.state) ? (
          <CellText
            title={relativeTime(request.expiresAt)}
            description={absoluteTime(request.expiresAt)}
          />
        ) : (
          <CellText title="" />
        ),
    },
    {
      id: 'updated',
      label: 'Updated',
      cell: request => (
        <CellText
          title={relativeTime(request.updatedAt)}
          description={absoluteTime(request.updatedAt)}
        />
      ),
    },
  ];

  return (
    <Table
      {...props.table}
      columnConfig={columns}
      emptyState={props.emptyText}
    />
  );
}
