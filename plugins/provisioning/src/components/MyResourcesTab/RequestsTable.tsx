import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Cell, CellText, ColumnConfig, Table } from '@backstage/ui';
import {
  ProvisioningRequest,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { absoluteTime, relativeTime } from '../../lib/time';
import { requestRouteRef } from '../../routes';
import { StateChip } from '../StateChip';

const ownerName = (ref: string) =>
  humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' });

/** Requests with their type, owner, state and last change; names link to them. */
export function RequestsTable(props: {
  requests: ProvisioningRequest[];
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
      cell: request => <CellText title={ownerName(request.owner)} />,
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
      columnConfig={columns}
      data={props.requests}
      pagination={{ type: 'none' }}
      emptyState={props.emptyText}
    />
  );
}
