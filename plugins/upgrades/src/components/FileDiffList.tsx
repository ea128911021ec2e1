import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { ChangeRequest, FileDiff } from '@paved/plugin-upgrades-common';
import { FileText, PatchView } from './PatchView';

function ConflictSidesView(props: { file: FileDiff; change: ChangeRequest }) {
  const { file, change } = props;
  const sides = [
    {
      key: 'base',
      title: `Base (template ${change.fromVersion})`,
      text: file.conflict?.base,
    },
    { key: 'ours', title: 'Service (ours)', text: file.conflict?.ours },
    {
      key: 'theirs',
      title: `Template ${change.toVersion} (theirs)`,
      text: file.conflict?.theirs,
    },
  ];
  return (
    <Grid container spacing={1} data-testid="conflict-sides">
      {sides.map(side => (
        <Grid item xs={12} md={4} key={side.key}>
          <Typography variant="overline" component="h4">
            {side.title}
          </Typography>
          <FileText text={side.text} label={`${file.path}: ${side.title}`} />
        </Grid>
      ))}
    </Grid>
  );
}

/** Every file of a change: its diff and, when conflicted, the three sides. */
export function FileDiffList(props: {
  files: FileDiff[];
  change: ChangeRequest;
}) {
  const { files, change } = props;
  if (files.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The change touches no file: the template's changes were already in the
        repository.
      </Typography>
    );
  }
  return (
    <>
      {files.map(file => (
        <Paper
          key={file.path}
          variant="outlined"
          style={{ marginBottom: 16 }}
          data-testid="file-diff"
          data-path={file.path}
          data-conflicted={file.conflicted}
        >
          <Box
            display="flex"
            alignItems="center"
            style={{ gap: 8 }}
            px={1.5}
            py={1}
          >
            <Typography
              variant="subtitle1"
              component="h3"
              style={{ fontFamily: 'monospace' }}
            >
              {file.path}
            </Typography>
            <Chip size="small" variant="outlined" label={file.status} />
            {file.conflicted && (
              <Chip
                size="small"
                label="conflict"
                style={{ backgroundColor: '#e65100', color: '#fff' }}
              />
            )}
          </Box>
          {file.binary ? (
            <Box px={1.5} pb={1}>
              <Typography variant="body2" color="textSecondary">
                Binary file; its diff is not shown.
              </Typography>
            </Box>
          ) : (
            <PatchView patch={file.patch} label={`Diff of ${file.path}`} />
          )}
          {file.conflicted && file.conflict && (
            <Box px={1.5} pb={1.5}>
              <ConflictSidesView file={file} change={change} />
            </Box>
          )}
        </Paper>
      ))}
    </>
  );
}
