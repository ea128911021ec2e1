import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ImpactPreview } from '../api';
import { levelName } from '../lib/levels';

const levelText = (level: number | null) =>
  level === null ? 'not scored' : `${level} · ${levelName(level)}`;

/** How many entities move up or down, which ones, and the distribution before/after. */
export function ImpactPreviewResult({ preview }: { preview: ImpactPreview }) {
  const moved = preview.entities.filter(e => e.from !== e.to);
  const data = preview.distribution.map(d => ({
    ...d,
    label: `${d.level} ${levelName(d.level)}`,
  }));
  return (
    <Box aria-label="Impact preview" role="region">
      <Typography variant="h6" component="h3">
        {`${preview.movedUp} move up, ${preview.movedDown} move down, ${preview.unchanged} unchanged`}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {`Of ${preview.evaluated} entities evaluated on the stored facts.`}
      </Typography>
      <Box
        role="img"
        aria-label="Distribution before and after"
        height={220}
        mt={2}
      >
        <ResponsiveContainer
          width="100%"
          height="100%"
          initialDimension={{ width: 600, height: 220 }}
        >
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="before" name="Before" fill="#9e9e9e" />
            <Bar dataKey="after" name="After" fill="#1f77b4" />
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Box display="flex" flexWrap="wrap" mb={2}>
        {data.map(d => (
          <Box key={d.level} mr={2}>
            <Typography variant="caption">
              {`Level ${d.level} · ${levelName(d.level)}: ${d.before} → ${
                d.after
              }`}
            </Typography>
          </Box>
        ))}
      </Box>
      {moved.length > 0 && (
        <Table size="small" aria-label="Entities that move">
          <TableHead>
            <TableRow>
              <TableCell>Entity</TableCell>
              <TableCell>From</TableCell>
              <TableCell>To</TableCell>
              <TableCell>Move</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {moved.map(e => (
              <TableRow key={e.entityRef}>
                <TableCell>
                  <EntityRefLink entityRef={e.entityRef} />
                </TableCell>
                <TableCell>{levelText(e.from)}</TableCell>
                <TableCell>{levelText(e.to)}</TableCell>
                <TableCell>{(e.from ?? 0) < e.to ? 'up' : 'down'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
