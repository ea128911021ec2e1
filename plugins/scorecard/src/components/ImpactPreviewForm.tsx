import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  RULE_OPERATORS,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';
import { FormEvent, useState } from 'react';
import { ImpactPreview, PreviewRequest, scorecardApiRef } from '../api';
import { statusOf } from '@paved/display-react';
import { ImpactPreviewResult } from './ImpactPreviewResult';

type Mode = 'change' | 'remove';

/** "true" → true, "70" → 70, '["a"]' → ["a"], anything else → the text. */
function parseValue(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const field = (label: string) => ({
  label,
  id: `scorecard-preview-${label
    .toLocaleLowerCase('en-US')
    .replace(/\W+/g, '-')}`,
  fullWidth: true,
  variant: 'outlined' as const,
  size: 'small' as const,
});

/** Propose a check change (or removal) and preview its impact on levels. */
export function ImpactPreviewForm({ tracks }: { tracks: TrackDefinition[] }) {
  const api = useApi(scorecardApiRef);
  const [trackId, setTrackId] = useState(tracks[0]?.id ?? '');
  const track = tracks.find(t => t.id === trackId);
  const [mode, setMode] = useState<Mode>('change');
  const [level, setLevel] = useState(track?.levels[0]?.level ?? 1);
  const [checkId, setCheckId] = useState('');
  const [fact, setFact] = useState('');
  const [operator, setOperator] = useState<string>('equal');
  const [value, setValue] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ImpactPreview>();
  const [error, setError] = useState<Error>();

  const existingChecks = track?.levels.flatMap(l => l.checks) ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request: PreviewRequest =
      mode === 'remove'
        ? { trackId, removeCheck: checkId }
        : {
            trackId,
            level,
            check: {
              id: checkId,
              title: existingChecks.find(c => c.id === checkId)?.title,
              rules: [{ fact, operator, value: parseValue(value) }],
            },
          };
    setPending(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.previewChecks(request));
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <form onSubmit={submit} aria-label="Change a check">
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4}>
            <TextField
              {...field('Track')}
              select
              SelectProps={{ native: true }}
              value={trackId}
              onChange={e => setTrackId(e.target.value)}
            >
              {tracks.map(t => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...field('Change')}
              select
              SelectProps={{ native: true }}
              value={mode}
              onChange={e => setMode(e.target.value as Mode)}
            >
              <option value="change">Add or change a check</option>
              <option value="remove">Remove a check</option>
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...field('Check id')}
              required
              value={checkId}
              onChange={e => setCheckId(e.target.value)}
              inputProps={{ list: 'scorecard-check-ids' }}
              helperText="An existing id changes that check; a new one adds a check."
            />
            <datalist id="scorecard-check-ids">
              {existingChecks.map(c => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </datalist>
          </Grid>
          {mode === 'change' && (
            <>
              <Grid item xs={12} sm={3}>
                <TextField
                  {...field('Level')}
                  select
                  SelectProps={{ native: true }}
                  value={level}
                  onChange={e => setLevel(Number(e.target.value))}
                >
                  {(track?.levels ?? []).map(l => (
                    <option key={l.level} value={l.level}>
                      {`${l.level} · ${l.name}`}
                    </option>
                  ))}
                </TextField>
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  {...field('Fact')}
                  required
                  placeholder="catalog.hasDescription"
                  value={fact}
                  onChange={e => setFact(e.target.value)}
                />
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  {...field('Operator')}
                  select
                  SelectProps={{ native: true }}
                  value={operator}
                  onChange={e => setOperator(e.target.value)}
                >
                  {RULE_OPERATORS.map(o => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </TextField>
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  {...field('Value')}
                  placeholder="true, 70, or text"
                  value={value}
                  onChange={e => setValue(e.target.value)}
                  helperText='JSON (true, 70, ["a"]) or text'
                />
              </Grid>
            </>
          )}
        </Grid>
        <Box mt={2}>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={pending || !trackId}
          >
            {pending ? 'Previewing…' : 'Preview impact'}
          </Button>
        </Box>
      </form>
      <Box mt={2}>
        {error && statusOf(error) === 403 && (
          <Alert severity="warning">
            Only the platform team can change checks
          </Alert>
        )}
        {error && statusOf(error) !== 403 && (
          <ResponseErrorPanel error={error} title="The preview failed" />
        )}
        {result && <ImpactPreviewResult preview={result} />}
      </Box>
    </>
  );
}
