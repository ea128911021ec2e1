import { ReactNode } from 'react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';

export type Column<T> = {
  title: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
};

/** A small, named table: the dashboard's lists are short (top N). */
export function SimpleTable<T>(props: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}) {
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.columns.map(c => (
            <TableCell key={c.title} align={c.numeric ? 'right' : 'left'}>
              {c.title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={props.rowKey(row)}>
            {props.columns.map(c => (
              <TableCell key={c.title} align={c.numeric ? 'right' : 'left'}>
                {c.render(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
