import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  patch: {
    margin: 0,
    padding: theme.spacing(1, 0),
    overflowX: 'auto',
    fontFamily: 'monospace',
    fontSize: 13,
    lineHeight: 1.5,
    backgroundColor: theme.palette.background.default,
  },
  line: {
    display: 'block',
    padding: theme.spacing(0, 1.5),
    minHeight: '1.5em',
  },
  added: { backgroundColor: 'rgba(46, 160, 67, 0.18)' },
  removed: { backgroundColor: 'rgba(248, 81, 73, 0.18)' },
  hunk: { color: theme.palette.info.main, fontWeight: 600 },
  header: { color: theme.palette.text.secondary },
  context: {},
}));

type LineKind = 'added' | 'removed' | 'hunk' | 'header' | 'context';

/** What a line of a unified diff (git diff) is; the file headers first. */
export function lineKind(line: string): LineKind {
  if (
    line.startsWith('diff --git') ||
    line.startsWith('index ') ||
    line.startsWith('--- ') ||
    line.startsWith('+++ ') ||
    line.startsWith('new file mode') ||
    line.startsWith('deleted file mode') ||
    line.startsWith('\\ No newline')
  ) {
    return 'header';
  }
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}

/**
 * A unified diff, its added and removed lines coloured. Plain on purpose: no diff
 * viewer library is in the app, and a patch of a template upgrade is small.
 */
export function PatchView(props: { patch: string; label: string }) {
  const classes = useStyles();
  const lines = props.patch.replace(/\n$/, '').split('\n');
  return (
    <pre className={classes.patch} aria-label={props.label} data-testid="patch">
      {lines.map((line, index) => {
        const kind = lineKind(line);
        return (
          <span
            key={index}
            className={`${classes.line} ${classes[kind]}`}
            data-line={kind}
          >
            {line}
          </span>
        );
      })}
    </pre>
  );
}

/** A whole file's text (one side of a conflict), or a note that it has none. */
export function FileText(props: { text?: string; label: string }) {
  const classes = useStyles();
  return (
    <pre className={classes.patch} aria-label={props.label}>
      <span className={classes.line}>
        {props.text === undefined ? '(no file on this side)' : props.text}
      </span>
    </pre>
  );
}
