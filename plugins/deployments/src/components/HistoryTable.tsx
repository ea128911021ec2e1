import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ActorName } from '@paved/display-react';
import { DeploymentRecord } from '@paved/plugin-deployments-common';
import { deploymentDuration, KIND_LABELS } from '../lib/format';
import { DeploymentStatus } from './DeploymentStatus';
import { When } from './When';

const columns: TableColumn<DeploymentRecord>[] = [
  { title: 'When', render: r => <When iso={r.startedAt} /> },
  { title: 'Environment', field: 'environment' },
  { title: 'Kind', render: r => KIND_LABELS[r.kind] ?? r.kind },
  {
    title: 'Image',
    render: r => <code style={{ wordBreak: 'break-all' }}>{r.image}</code>,
  },
  { title: 'Git ref', render: r => r.gitRef ?? '—' },
  {
    title: 'Status',
    render: r => (
      <>
        <DeploymentStatus status={r.status} />
        {r.reason && (
          <Typography variant="caption" component="div" color="error">
            {r.reason}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Duration', render: r => deploymentDuration(r) ?? '…' },
  { title: 'By', render: r => <ActorName actor={r.createdBy} /> },
];

/** The component's deployments, newest first. */
export function HistoryTable(props: { records: DeploymentRecord[] }) {
  return (
    <div data-testid="deployment-history">
      <Table
        title="History"
        options={{
          search: false,
          paging: props.records.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
        columns={columns}
        data={props.records}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            No deployments recorded yet.
          </Typography>
        }
      />
    </div>
  );
}
