import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import { CheckResult } from '@paved/plugin-scorecard-common';
import { levelName } from '../lib/levels';
import { HowToFix } from './FixLink';

/** One check: pass/fail, why, and how to fix it when it fails. */
function CheckRow({ check }: { check: CheckResult }) {
  const status = check.passed ? 'passed' : 'failing';
  return (
    <ListItem
      alignItems="flex-start"
      aria-label={`${check.title}: ${status}`}
      data-testid={`scorecard-check-${check.checkId}`}
    >
      <ListItemIcon>
        {check.passed ? (
          <CheckCircleIcon style={{ color: '#2e7d32' }} titleAccess="Passed" />
        ) : (
          <CancelIcon color="error" titleAccess="Failing" />
        )}
      </ListItemIcon>
      <Box>
        <Typography variant="subtitle2">{check.title}</Typography>
        {check.description && (
          <Typography variant="body2" color="textSecondary">
            {check.description}
          </Typography>
        )}
        <Typography variant="body2">{check.reason}</Typography>
        {!check.passed && (
          <HowToFix
            title={check.title}
            howToFix={check.howToFix}
            fixUrl={check.fixUrl}
          />
        )}
      </Box>
    </ListItem>
  );
}

/** A track's checks under a heading per level, failing first within a level. */
export function CheckList({ checks }: { checks: CheckResult[] }) {
  const levels = Array.from(new Set(checks.map(c => c.level))).sort(
    (a, b) => a - b,
  );
  return (
    <>
      {levels.map(level => {
        const ofLevel = checks
          .filter(c => c.level === level)
          .sort((a, b) => Number(a.passed) - Number(b.passed));
        const failing = ofLevel.filter(c => !c.passed).length;
        return (
          <Box key={level} mt={2} component="section">
            <Typography variant="h6" component="h3">
              {`Level ${level} (${levelName(level)}) checks`}{' '}
              <Typography
                variant="body2"
                component="span"
                color="textSecondary"
              >
                {failing
                  ? `${failing} of ${ofLevel.length} failing`
                  : `all ${ofLevel.length} pass`}
              </Typography>
            </Typography>
            <List dense aria-label={`Level ${level} checks`}>
              {ofLevel.map(check => (
                <CheckRow key={check.checkId} check={check} />
              ))}
            </List>
          </Box>
        );
      })}
    </>
  );
}
