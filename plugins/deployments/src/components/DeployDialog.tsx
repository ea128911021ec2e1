import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { messageOf } from '@paved/display-react';
import { WorkloadEnvironment } from '@paved/plugin-deployments-common';
import { FormEvent, useState } from 'react';
import { DeployRequest } from '../api';
import { imageReferenceProblem } from '../lib/imageReference';
import { STAGE_LABELS } from '../lib/format';
import { ErrorMessage } from './ErrorMessage';

/** The server's complaint about the image, when it names that field. */
const imageMessage = (error?: Error) => {
  const message = error ? messageOf(error) : '';
  return /(^|[\s:;(])image\b/.test(message) ? message : undefined;
};

/**
 * Deploys a version (image and git ref) of the component to an environment. The
 * image is checked here first so that a typo is named at its field; what only the
 * server can tell (quota, permission, an unknown environment) is shown as it
 * answered.
 */
export function DeployDialog(props: {
  component: string;
  environments: WorkloadEnvironment[];
  initialEnvironment?: string;
  initialImage?: string;
  onClose(): void;
  onDeploy(request: DeployRequest): Promise<void>;
}) {
  const { component, environments, onClose, onDeploy } = props;
  const [environment, setEnvironment] = useState(
    props.initialEnvironment ?? environments[0]?.environment ?? '',
  );
  const [image, setImage] = useState(props.initialImage ?? '');
  const [gitRef, setGitRef] = useState('');
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();

  const imageProblem = touched ? imageReferenceProblem(image) : undefined;
  const environmentProblem =
    touched && !environment.trim() ? 'environment is required' : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (imageReferenceProblem(image) || !environment.trim()) return;
    setPending(true);
    setError(undefined);
    try {
      await onDeploy({
        component,
        environment: environment.trim(),
        image: image.trim(),
        ...(gitRef.trim() && { gitRef: gitRef.trim() }),
      });
    } catch (e) {
      setError(e as Error);
      setPending(false);
    }
  };

  const imageError = imageProblem ?? imageMessage(error);
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="deployments-deploy-title"
    >
      <form onSubmit={submit} noValidate aria-label="Deploy">
        <DialogTitle id="deployments-deploy-title">Deploy</DialogTitle>
        <DialogContent>
          {environments.length > 0 ? (
            <TextField
              id="deployments-deploy-environment"
              label="Environment"
              select
              SelectProps={{ native: true }}
              value={environment}
              onChange={e => setEnvironment(e.target.value)}
              fullWidth
              margin="normal"
            >
              {environments.map(e => (
                <option key={e.environment} value={e.environment}>
                  {`${e.environment} (${STAGE_LABELS[e.stage] ?? e.stage})`}
                </option>
              ))}
            </TextField>
          ) : (
            <TextField
              id="deployments-deploy-environment"
              label="Environment"
              value={environment}
              onChange={e => setEnvironment(e.target.value)}
              error={!!environmentProblem}
              helperText={
                environmentProblem ??
                "The environment's name, e.g. orders-dev (Self-service → Environment makes one)."
              }
              required
              fullWidth
              margin="normal"
            />
          )}
          <TextField
            id="deployments-deploy-image"
            label="Image"
            value={image}
            onChange={e => setImage(e.target.value)}
            onBlur={() => image && setTouched(true)}
            error={!!imageError}
            helperText={
              imageError ??
              'The container image to run, e.g. ghcr.io/acme/orders:1.4.2'
            }
            required
            fullWidth
            margin="normal"
          />
          <TextField
            id="deployments-deploy-git-ref"
            label="Git ref"
            value={gitRef}
            onChange={e => setGitRef(e.target.value)}
            helperText="Optional: the commit or tag the image was built from."
            fullWidth
            margin="normal"
          />
          {error && !imageMessage(error) && (
            <ErrorMessage error={error} title="The deployment was refused" />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={pending}
          >
            Deploy
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
