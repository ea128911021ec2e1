import {
  InfoCard,
  Link,
  MarkdownContent,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ACTIVE_CHANGE_STATES,
  ChangeRequest,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { upgradesApiRef } from '../api';
import { templateName } from '../lib/format';
import { changeRouteRef } from '../routes';
import { ErrorMessage } from './ErrorMessage';
import { StateChip } from './StateChip';

function Headline(props: { status: UpgradeStatus }) {
  const { lineage, latestVersion, available } = props.status;
  if (!lineage) return null;
  const name = templateName(lineage.templateRef);
  return (
    <>
      <Typography variant="subtitle1" data-testid="golden-path-headline">
        {available
          ? `Template ${name} ${lineage.version} → ${latestVersion} available`
          : `On the latest version ${latestVersion ?? lineage.version}`}
      </Typography>
      {!available && (
        <Typography variant="body2" color="textSecondary">
          Template {name}
        </Typography>
      )}
    </>
  );
}

function ChangeLine(props: { change: ChangeRequest }) {
  const { change } = props;
  const changeRoute = useRouteRef(changeRouteRef);
  return (
    <Box
      display="flex"
      alignItems="center"
      style={{ gap: 8 }}
      mt={2}
      data-testid="golden-path-change"
    >
      <Typography variant="body2">Upgrade to {change.toVersion}:</Typography>
      <StateChip state={change.state} />
      {changeRoute && (
        <Link to={changeRoute({ id: change.id })}>View change</Link>
      )}
    </Box>
  );
}

/**
 * The "Golden path" card on a component made from a template: whether a newer
 * version is available, what changed in it, and proposing the upgrade as a change
 * request (or following the one already proposed).
 */
export function GoldenPathCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(upgradesApiRef);
  const status = useAsyncRetry(
    () => api.getUpgradeStatus(entityRef),
    [api, entityRef],
  );
  const [proposing, setProposing] = useState(false);
  const [proposed, setProposed] = useState<ChangeRequest>();
  const [error, setError] = useState<Error>();

  const propose = async () => {
    setProposing(true);
    setError(undefined);
    try {
      setProposed(await api.proposeChange({ entityRef }));
      status.retry();
    } catch (e) {
      setError(e as Error);
    } finally {
      setProposing(false);
    }
  };

  let body;
  if (status.loading && !status.value) {
    body = <Progress />;
  } else if (status.error) {
    body = <ResponseErrorPanel error={status.error} />;
  } else {
    const value = status.value!;
    // The change just proposed, until the status read again shows it.
    const change =
      proposed && value.change?.id !== proposed.id ? proposed : value.change;
    const active = !!change && ACTIVE_CHANGE_STATES.includes(change.state);
    body = (
      <>
        <Headline status={value} />
        {value.problem && (
          <Alert severity="warning" data-testid="golden-path-problem">
            {value.problem}
          </Alert>
        )}
        {value.available && value.changelog.length > 0 && (
          <Box mt={1} data-testid="golden-path-changelog">
            {value.changelog.map(entry => (
              <Box key={entry.version} mb={1}>
                <Typography variant="h6" component="h3">
                  {entry.version}
                  {entry.date && (
                    <Typography
                      variant="body2"
                      color="textSecondary"
                      component="span"
                    >
                      {' '}
                      ({entry.date})
                    </Typography>
                  )}
                </Typography>
                <MarkdownContent content={entry.text} />
              </Box>
            ))}
          </Box>
        )}
        {change && <ChangeLine change={change} />}
        {value.available && !active && (
          <Box mt={2}>
            <Button
              variant="contained"
              color="primary"
              disabled={proposing}
              onClick={propose}
            >
              Propose upgrade
            </Button>
            {proposing && (
              <Box mt={1} data-testid="golden-path-proposing">
                <LinearProgress />
                <Typography variant="caption" color="textSecondary">
                  Rendering both versions of the template and merging them into
                  the repository…
                </Typography>
              </Box>
            )}
          </Box>
        )}
        {error && (
          <Box mt={2}>
            <ErrorMessage
              error={error}
              title="The upgrade could not be proposed"
            />
          </Box>
        )}
      </>
    );
  }
  return <InfoCard title="Golden path">{body}</InfoCard>;
}
