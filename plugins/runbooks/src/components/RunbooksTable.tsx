import {
  Link,
  LinkButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import { RunbookSummary } from '@paved/plugin-runbooks-common';
import { ReactNode } from 'react';

/** The runbooks that apply, each with a Run button to its prefilled form. */
export function RunbooksTable(props: {
  runbooks: RunbookSummary[];
  emptyContent: ReactNode;
}) {
  const columns: TableColumn<RunbookSummary>[] = [
    {
      title: 'Runbook',
      field: 'title',
      render: row => (
        <>
          <strong>{row.title}</strong>
          {row.destructive && (
            <Chip
              size="small"
              label="changes things"
              style={{ marginLeft: 8 }}
            />
          )}
          {row.description && <div>{row.description}</div>}
        </>
      ),
    },
    {
      title: 'Docs',
      field: 'docsUrl',
      width: '100px',
      render: row => (row.docsUrl ? <Link to={row.docsUrl}>Docs</Link> : '—'),
    },
    {
      title: '',
      field: 'link',
      width: '100px',
      render: row => (
        <LinkButton
          to={row.link}
          color="primary"
          variant="contained"
          size="small"
          aria-label={`Run ${row.title}`}
        >
          Run
        </LinkButton>
      ),
    },
  ];
  return (
    <Table<RunbookSummary>
      title="Runbooks"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.runbooks}
      emptyContent={props.emptyContent}
    />
  );
}
