import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardApiRef } from '../api';
import { maturityRouteRef } from '../routes';
import { LevelDistributionChart, TrendChart } from './charts';
import { ImpactPreviewForm } from './ImpactPreviewForm';

const DAY_RANGES = [30, 90, 180, 365];

/** `/scorecard`: the organization's level distribution and trend, and "Change a check". */
export function OrganizationOverview() {
  const api = useApi(scorecardApiRef);
  const maturityLink = useRouteRef(maturityRouteRef);
  const [days, setDays] = useState(90);
  const levels = useAsync(() => api.getOrganizationLevels(), [api]);
  const trend = useAsync(() => api.getOrganizationTrend({ days }), [api, days]);
  const tracks = useAsync(() => api.listTracks(), [api]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Level distribution"
          subheader={
            levels.value ? `${levels.value.total} entities scored` : undefined
          }
        >
          {levels.loading && <Progress />}
          {levels.error && <ResponseErrorPanel error={levels.error} />}
          {levels.value && (
            <LevelDistributionChart levels={levels.value.levels} />
          )}
          {maturityLink && (
            <Typography variant="body2" style={{ marginTop: 16 }}>
              <Link to={maturityLink()}>
                See the organization's maturity and its evidence
              </Link>
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Trend"
          action={
            <TextField
              select
              id="scorecard-trend-days"
              size="small"
              label="Days"
              value={days}
              onChange={e => setDays(Number(e.target.value))}
              style={{ minWidth: 100, marginTop: 16, marginRight: 8 }}
            >
              {DAY_RANGES.map(d => (
                <MenuItem key={d} value={d}>
                  {`${d} days`}
                </MenuItem>
              ))}
            </TextField>
          }
        >
          {trend.loading && <Progress />}
          {trend.error && <ResponseErrorPanel error={trend.error} />}
          {trend.value &&
            (trend.value.days.length ? (
              <TrendChart days={trend.value.days} />
            ) : (
              <Typography variant="body2">
                No daily snapshots yet: one is taken after each full evaluation.
              </Typography>
            ))}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Change a check"
          subheader="Preview how levels would move before changing the configuration (platform team only)."
        >
          {tracks.error && <ResponseErrorPanel error={tracks.error} />}
          {tracks.value && <ImpactPreviewForm tracks={tracks.value} />}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
