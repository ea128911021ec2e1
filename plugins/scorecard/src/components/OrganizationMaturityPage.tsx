import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import Typography from '@material-ui/core/Typography';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import useAsync from 'react-use/esm/useAsync';
import {
  MaturityCriterion,
  OrganizationMaturity,
  scorecardApiRef,
} from '../api';
import { levelColor } from '../lib/levels';
import { LevelBadge } from './LevelBadge';

// Shares come as fractions (0.9), counts as whole numbers (10).
const show = (value: number, threshold: number) =>
  threshold < 1 ? `${Math.round(value * 100)}%` : String(value);

/** Five steps, rising; the met ones in their level's colour, the organization's marked. */
function Ladder({ maturity }: { maturity: OrganizationMaturity }) {
  return (
    <Box
      component="ol"
      aria-label="Maturity ladder"
      display="flex"
      alignItems="flex-end"
      p={0}
      m={0}
      style={{ listStyle: 'none', gap: 8 }}
    >
      {maturity.levels.map(l => {
        const current = l.level === maturity.level;
        return (
          <Box
            component="li"
            key={l.level}
            aria-label={`Level ${l.level} · ${l.name}: ${
              l.met ? 'met' : 'not met'
            }${current ? ' (the organization is here)' : ''}`}
            aria-current={current ? 'step' : undefined}
            flex={1}
            height={40 + l.level * 24}
            display="flex"
            flexDirection="column"
            justifyContent="flex-end"
            alignItems="center"
            p={1}
            borderRadius={4}
            style={{
              backgroundColor: l.met ? levelColor(l.level) : 'transparent',
              color: l.met && l.level !== 3 ? '#fff' : 'inherit',
              border: `2px ${l.met ? 'solid' : 'dashed'} ${levelColor(
                l.level,
              )}`,
              boxShadow: current ? '0 0 0 3px rgba(0,0,0,0.35)' : undefined,
            }}
          >
            <Typography variant="h6" component="span">
              {l.level}
            </Typography>
            <Typography variant="caption" component="span">
              {l.name}
            </Typography>
            {current && (
              <Typography variant="caption" component="span">
                <strong>You are here</strong>
              </Typography>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

function Criterion({ criterion }: { criterion: MaturityCriterion }) {
  const { value, threshold, met } = criterion;
  return (
    <ListItem
      alignItems="flex-start"
      aria-label={`${criterion.description}: ${met ? 'met' : 'unmet'}`}
    >
      <ListItemIcon>
        {met ? (
          <CheckCircleIcon style={{ color: '#2e7d32' }} titleAccess="Met" />
        ) : (
          <CancelIcon color="error" titleAccess="Unmet" />
        )}
      </ListItemIcon>
      <Box flex={1}>
        <Typography variant="subtitle2">{criterion.description}</Typography>
        <Typography variant="body2" color="textSecondary">
          {criterion.evidence}
        </Typography>
        {value !== undefined && (
          <Box display="flex" alignItems="center" mt={0.5}>
            <Box flex={1} mr={1}>
              <LinearProgress
                variant="determinate"
                value={Math.min(100, (value / (threshold || 1)) * 100)}
                color={met ? 'primary' : 'secondary'}
                aria-label={`${criterion.description}: ${show(
                  value,
                  threshold,
                )} of ${show(threshold, threshold)}`}
              />
            </Box>
            <Typography variant="caption">
              {`${show(value, threshold)} / ${show(threshold, threshold)}`}
            </Typography>
          </Box>
        )}
      </Box>
    </ListItem>
  );
}

/** `/scorecard/maturity`: where the organization stands on five levels, and why. */
export function OrganizationMaturityPage() {
  const api = useApi(scorecardApiRef);
  const { value, loading, error } = useAsync(
    () => api.getOrganizationMaturity(),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title="Organization maturity"
          subheader={`From ${value.components} components in the catalog`}
        >
          <Box display="flex" alignItems="center" mb={2}>
            <Typography variant="body1" component="span">
              The organization is at&nbsp;
            </Typography>
            <LevelBadge level={value.level} name={value.levelName} />
          </Box>
          <Ladder maturity={value} />
        </InfoCard>
      </Grid>
      {value.levels.map(l => (
        <Grid item xs={12} md={6} key={l.level}>
          <InfoCard
            title={`Level ${l.level} · ${l.name}`}
            subheader={l.met ? 'Met' : 'Not met'}
          >
            <List dense aria-label={`Level ${l.level} criteria`}>
              {l.criteria.map(c => (
                <Criterion key={c.description} criterion={c} />
              ))}
            </List>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
