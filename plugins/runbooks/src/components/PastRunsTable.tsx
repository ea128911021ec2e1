import { Link, Table, TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import {
  absoluteTime,
  ActorName,
  formatDuration,
  relativeTime,
} from '@paved/display-react';
import { RunbookRun } from '@paved/plugin-runbooks-common';

const OUTCOME_COLORS: Record<string, 'primary' | 'secondary' | 'default'> = {
  completed: 'primary',
  failed: 'secondary',
};

const parametersOf = (run: RunbookRun) =>
  Object.entries(run.parameters)
    .filter(([key]) => key !== 'entityRef')
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    )
    .join(', ');

/** Who ran what when, with what, how it ended and how long it took. */
export function PastRunsTable(props: {
  runs: RunbookRun[];
  titles: Map<string, string>;
}) {
  const columns: TableColumn<RunbookRun>[] = [
    {
      title: 'Runbook',
      field: 'templateRef',
      render: row => props.titles.get(row.templateRef) ?? row.templateRef,
    },
    {
      title: 'Who',
      field: 'createdBy',
      render: row => <ActorName actor={row.createdBy ?? 'unknown'} />,
    },
    {
      title: 'When',
      field: 'createdAt',
      render: row => (
        <span title={absoluteTime(row.createdAt)}>
          {relativeTime(row.createdAt)}
        </span>
      ),
    },
    { title: 'Parameters', field: 'parameters', render: parametersOf },
    {
      title: 'Outcome',
      field: 'outcome',
      render: row => (
        <Chip
          size="small"
          label={row.outcome}
          color={OUTCOME_COLORS[row.outcome] ?? 'default'}
        />
      ),
    },
    {
      title: 'Duration',
      field: 'durationMs',
      render: row =>
        row.durationMs !== undefined ? formatDuration(row.durationMs) : '—',
    },
    {
      title: '',
      field: 'link',
      render: row => <Link to={row.link}>Task log</Link>,
    },
  ];
  return (
    <Table<RunbookRun>
      title="Past runs"
      options={{
        paging: props.runs.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      columns={columns}
      data={props.runs}
      emptyContent={
        <div style={{ padding: 16 }}>
          No runbook has been run on this component yet. Runs appear here with
          who ran them and their task log.
        </div>
      }
    />
  );
}
