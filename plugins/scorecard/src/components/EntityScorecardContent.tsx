import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardApiRef } from '../api';
import { statusOf } from '@paved/display-react';
import { HistoryChart } from './charts';
import { CheckList } from './CheckList';
import { LevelBadge } from './LevelBadge';

/** The "Scorecard" tab of a component: its level per track, checks and history. */
export function EntityScorecardContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(scorecardApiRef);
  const [evaluating, setEvaluating] = useState(false);
  const [evaluateError, setEvaluateError] = useState<Error>();

  const scorecard = useAsyncRetry(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );
  const history = useAsyncRetry(
    () => api.getEntityHistory(entityRef, 200),
    [api, entityRef],
  );

  const reEvaluate = async () => {
    setEvaluating(true);
    setEvaluateError(undefined);
    try {
      await api.evaluate(entityRef);
      scorecard.retry();
      history.retry();
    } catch (e) {
      setEvaluateError(e as Error);
    } finally {
      setEvaluating(false);
    }
  };

  const button = (
    <Button
      color="primary"
      variant="contained"
      size="small"
      disabled={evaluating}
      onClick={reEvaluate}
    >
      {evaluating ? 'Evaluating…' : 'Re-evaluate'}
    </Button>
  );
  const evaluateErrorPanel = evaluateError && (
    <Box mb={2}>
      <ResponseErrorPanel error={evaluateError} title="Re-evaluation failed" />
    </Box>
  );

  if (scorecard.loading && !scorecard.value) return <Progress />;
  if (scorecard.error) {
    if (statusOf(scorecard.error) === 404) {
      return (
        <>
          {evaluateErrorPanel}
          <EmptyState
            missing="data"
            title="Not scored yet"
            description="This component will be scored within a minute of appearing in the catalog. Re-evaluate to score it now."
            action={button}
          />
        </>
      );
    }
    return <ResponseErrorPanel error={scorecard.error} />;
  }
  const tracks = scorecard.value?.tracks ?? [];

  return (
    <>
      {evaluateErrorPanel}
      <Grid container spacing={3}>
        {tracks.map(track => {
          const points = (history.value?.items ?? [])
            .filter(i => i.trackId === track.trackId)
            .slice()
            .reverse();
          return (
            <Grid item xs={12} key={track.trackId}>
              <InfoCard
                title={track.title}
                subheader={`Evaluated ${new Date(
                  track.evaluatedAt,
                ).toLocaleString('en-US')}`}
                action={
                  <Box pt={2} pr={1}>
                    {button}
                  </Box>
                }
              >
                <Box display="flex" alignItems="center">
                  <Typography variant="body1" component="span">
                    Level:&nbsp;
                  </Typography>
                  <LevelBadge level={track.level} name={track.levelName} />
                </Box>
                {points.length > 0 && (
                  <Box mt={2}>
                    <Typography variant="subtitle2" component="h3">
                      Level history
                    </Typography>
                    <HistoryChart points={points} />
                  </Box>
                )}
                <CheckList checks={track.checks} />
              </InfoCard>
            </Grid>
          );
        })}
      </Grid>
    </>
  );
}
