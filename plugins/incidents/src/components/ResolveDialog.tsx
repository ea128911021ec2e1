import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';

/** Asks for the cause (required) and what fixed it before resolving. */
export function ResolveDialog(props: {
  open: boolean;
  busy: boolean;
  onClose: () => void;
  onResolve: (cause: string, resolution?: string) => void;
}) {
  const [cause, setCause] = useState('');
  const [resolution, setResolution] = useState('');
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Resolve the incident</DialogTitle>
      <DialogContent>
        <TextField
          id="incident-cause"
          label="Cause"
          value={cause}
          onChange={e => setCause(e.target.value)}
          required
          fullWidth
          multiline
          margin="normal"
          helperText="What broke, so the next on-call knows"
        />
        <TextField
          id="incident-resolution"
          label="Resolution"
          value={resolution}
          onChange={e => setResolution(e.target.value)}
          fullWidth
          multiline
          margin="normal"
          helperText="What fixed it (optional)"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={props.busy || !cause.trim()}
          onClick={() =>
            props.onResolve(cause.trim(), resolution.trim() || undefined)
          }
        >
          Resolve
        </Button>
      </DialogActions>
    </Dialog>
  );
}
