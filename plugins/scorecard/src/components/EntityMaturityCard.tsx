import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { scorecardApiRef } from '../api';
import { statusOf } from '@paved/display-react';
import { HowToFix } from './FixLink';
import { LevelBadge } from './LevelBadge';

/** The "Maturity" overview card: the level and the first failing check's fix. */
export function EntityMaturityCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(scorecardApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error && statusOf(error) === 404) {
    content = (
      <Typography variant="body2">
        Not scored yet: this component will be scored within a minute.
      </Typography>
    );
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else {
    const track = value?.tracks[0];
    const failing = track?.checks
      .filter(c => !c.passed)
      .sort((a, b) => a.level - b.level)[0];
    content = track ? (
      <>
        <LevelBadge level={track.level} name={track.levelName} />
        <Box mt={2}>
          {failing ? (
            <>
              <Typography variant="subtitle2">
                {`Next: ${failing.title}`}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {failing.reason}
              </Typography>
              <HowToFix
                title={failing.title}
                howToFix={failing.howToFix}
                fixUrl={failing.fixUrl}
              />
            </>
          ) : (
            <Typography variant="body2">Every check passes.</Typography>
          )}
        </Box>
      </>
    ) : (
      <Typography variant="body2">No scorecard tracks.</Typography>
    );
  }
  return <InfoCard title="Maturity">{content}</InfoCard>;
}
