import { ReactNode, useId } from 'react';
import { Box, Paper, Typography } from '@material-ui/core';

/** A titled region of the dashboard (a landmark named by its heading). */
export function Section(props: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper component="section" aria-labelledby={id}>
      <Box p={2}>
        <Typography id={id} variant="h5" component="h2">
          {props.title}
        </Typography>
        {props.subtitle && (
          <Typography variant="body2" color="textSecondary">
            {props.subtitle}
          </Typography>
        )}
        <Box mt={2}>{props.children}</Box>
      </Box>
    </Paper>
  );
}

/** One headline figure, e.g. "Stickiness 32%". */
export function Stat(props: { label: string; value: string; hint?: string }) {
  return (
    <Box
      role="group"
      aria-label={props.label}
      mr={4}
      mb={2}
      display="inline-block"
    >
      <Typography variant="overline" component="div">
        {props.label}
      </Typography>
      <Typography variant="h4" component="div">
        {props.value}
      </Typography>
      {props.hint && (
        <Typography variant="caption" color="textSecondary">
          {props.hint}
        </Typography>
      )}
    </Box>
  );
}

/** A chart with an accessible name; the figures are also in a table beside it. */
export function Chart(props: { label: string; children: ReactNode }) {
  return (
    <Box role="figure" aria-label={props.label} width="100%" height={260}>
      {props.children}
    </Box>
  );
}

/** What to do when a section has nothing to show. */
export function Empty(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  );
}
