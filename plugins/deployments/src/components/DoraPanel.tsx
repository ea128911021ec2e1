import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef, DoraQuery } from '../api';
import { DoraCharts } from './DoraCharts';
import { DoraTiles } from './DoraTiles';
import { ErrorMessage } from './ErrorMessage';

const WEEKS = 12;

/**
 * The delivery (DORA) figures of a component, a team or the organisation: the
 * four figures with their levels, and their weeks as charts. `reload` changes
 * when a deployment finished, to read the figures again.
 */
export function DoraPanel(props: {
  query: Omit<DoraQuery, 'weeks'>;
  /** What to do when nothing was deployed to production in the period. */
  emptyMessage: string;
  reload?: unknown;
  chartHeight?: number;
}) {
  const { query, emptyMessage, reload, chartHeight } = props;
  const api = useApi(deploymentsApiRef);
  const { component, owner } = query;
  const { value, loading, error } = useAsync(
    () => api.getDora({ component, owner, weeks: WEEKS }),
    [api, component, owner, reload],
  );

  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <ErrorMessage error={error} title="Could not read the delivery figures" />
    );
  }
  if (!value) return null;
  const { overall } = value;
  return (
    <Box data-testid="dora-panel" data-scope={value.scope}>
      {overall.deployments === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="dora-empty"
          style={{ marginBottom: 12 }}
        >
          {emptyMessage}
        </Typography>
      ) : (
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ marginBottom: 12 }}
        >
          {`${overall.deployments} production deployment${
            overall.deployments === 1 ? '' : 's'
          } in the last ${WEEKS} weeks; a rollback or incident within ${
            value.failureWindowHours
          } hours counts as a failed change.`}
        </Typography>
      )}
      <DoraTiles figures={overall} />
      {overall.deployments > 0 && (
        <Box mt={2}>
          <DoraCharts weeks={value.weeks} height={chartHeight} />
        </Box>
      )}
    </Box>
  );
}
