import { useEffect, useState } from 'react';
import { Box, Button, Paper, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { adoptionApiRef } from '../api';
import {
  DEFAULT_SHOW_AFTER_MINUTES,
  msUntilSurveyMayShow,
} from './surveyTiming';

const SCORES = Array.from({ length: 11 }, (_, i) => i);

type Phase = 'asking' | 'sending' | 'thanks' | 'closed';

/**
 * The NPS survey, at the bottom of every page when the backend says it is this
 * person's turn (at most once per survey period; "Not now" counts as a turn), and
 * only once they have used the portal for a while in this visit
 * (`adoption.survey.showAfterMinutes`), never on their first page.
 */
export function SurveyPrompt() {
  const api = useApi(adoptionApiRef);
  const showAfterMinutes =
    useApi(configApiRef).getOptionalNumber(
      'adoption.survey.showAfterMinutes',
    ) ?? DEFAULT_SHOW_AFTER_MINUTES;
  const [due, setDue] = useState(
    () => msUntilSurveyMayShow(showAfterMinutes) === 0,
  );
  useEffect(() => {
    if (due) return undefined;
    const timer = setTimeout(
      () => setDue(true),
      msUntilSurveyMayShow(showAfterMinutes),
    );
    return () => clearTimeout(timer);
  }, [due, showAfterMinutes]);
  // Not signed in yet, or the backend is away: no survey, and no error either.
  const status = useAsync(
    () => api.getSurveyStatus().catch(() => undefined),
    [api],
  );
  const [phase, setPhase] = useState<Phase>('asking');
  const [score, setScore] = useState<number>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();

  if (!due || !status.value?.show || phase === 'closed') return null;

  const submit = async () => {
    if (score === undefined) return;
    setPhase('sending');
    setError(undefined);
    try {
      const trimmed = comment.trim();
      await api.respondToSurvey({
        score,
        ...(trimmed ? { comment: trimmed } : {}),
      });
      setPhase('thanks');
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 409) {
        setPhase('closed'); // answered meanwhile, e.g. in another tab
        return;
      }
      setError(`Your answer could not be sent: ${(e as Error).message}`);
      setPhase('asking');
    }
  };

  const dismiss = async () => {
    setPhase('closed');
    await api.dismissSurvey().catch(() => undefined);
  };

  return (
    <Box position="fixed" bottom={16} right={16} zIndex={1300} maxWidth={520}>
      <Paper elevation={8} component="aside" aria-label="Portal survey">
        <Box p={2}>
          {phase === 'thanks' ? (
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <Typography role="status" style={{ flexGrow: 1 }}>
                Thank you! The platform team reads every answer.
              </Typography>
              <Button onClick={() => setPhase('closed')}>Close</Button>
            </Box>
          ) : (
            <>
              <Typography
                id="adoption-survey-question"
                variant="subtitle1"
                component="h2"
              >
                How likely are you to recommend the portal to a colleague?
              </Typography>
              <Box
                role="group"
                aria-labelledby="adoption-survey-question"
                display="flex"
                flexWrap="wrap"
                my={1}
                style={{ gap: 4 }}
              >
                {SCORES.map(n => (
                  <Button
                    key={n}
                    size="small"
                    aria-label={`Score ${n}`}
                    aria-pressed={score === n}
                    variant={score === n ? 'contained' : 'outlined'}
                    color="primary"
                    style={{ minWidth: 36 }}
                    onClick={() => setScore(n)}
                  >
                    {n}
                  </Button>
                ))}
              </Box>
              <Box display="flex" justifyContent="space-between">
                <Typography variant="caption">0 = not at all likely</Typography>
                <Typography variant="caption">10 = extremely likely</Typography>
              </Box>
              <TextField
                id="adoption-survey-comment"
                label="What would make the portal better? (optional)"
                fullWidth
                multiline
                minRows={2}
                margin="dense"
                variant="outlined"
                value={comment}
                onChange={e => setComment(e.target.value)}
                inputProps={{ maxLength: 2000 }}
              />
              {error && <Alert severity="error">{error}</Alert>}
              <Box
                display="flex"
                justifyContent="flex-end"
                mt={1}
                style={{ gap: 8 }}
              >
                <Button onClick={dismiss} disabled={phase === 'sending'}>
                  Not now
                </Button>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={submit}
                  disabled={score === undefined || phase === 'sending'}
                >
                  Submit
                </Button>
              </Box>
            </>
          )}
        </Box>
      </Paper>
    </Box>
  );
}
