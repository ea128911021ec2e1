import { List, ListItem, ListItemText } from '@material-ui/core';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Nps } from '../api';
import { count } from './format';
import { Chart, Empty, Section, Stat } from './Section';

const SIZE = { width: 800, height: 220 };

/** Net promoter score, its monthly trend and the comments (anonymous). */
export function NpsSection({ data }: { data: Nps }) {
  return (
    <Section
      title="Developer satisfaction (NPS)"
      subtitle="% promoters (9–10) − % detractors (0–6), for everyone (the team filter does not apply)."
    >
      <Stat
        label="NPS"
        value={data.score === null ? '–' : String(data.score)}
        hint={`${count(data.responses)} responses`}
      />
      <Stat label="Promoters" value={count(data.promoters)} />
      <Stat label="Passives" value={count(data.passives)} />
      <Stat label="Detractors" value={count(data.detractors)} />
      {data.responses === 0 ? (
        <Empty>
          No answers yet. The survey asks each person at most once per survey
          period, at the bottom of the portal.
        </Empty>
      ) : (
        <Chart label="NPS per month">
          <ResponsiveContainer
            width="100%"
            height="100%"
            initialDimension={SIZE}
          >
            <LineChart data={data.trend}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" />
              <YAxis domain={[-100, 100]} />
              <Tooltip />
              <Line dataKey="score" name="NPS" stroke="#1f77b4" />
            </LineChart>
          </ResponsiveContainer>
        </Chart>
      )}
      <h3>Comments</h3>
      {data.comments.length === 0 ? (
        <Empty>
          {data.responses > 0 && data.responses < data.minimumGroupSize
            ? `Comments are listed once there are ${data.minimumGroupSize} answers in the range.`
            : 'No comments in this range.'}
        </Empty>
      ) : (
        <List dense aria-label="NPS comments">
          {data.comments.map((c, i) => (
            <ListItem key={i}>
              <ListItemText
                primary={c.comment}
                secondary={`Score ${c.score} · ${c.month}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}
