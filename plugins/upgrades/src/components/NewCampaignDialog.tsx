import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  useApi,
  useAppNavigate,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Campaign } from '@paved/plugin-upgrades-common';
import { useEffect, useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { upgradesApiRef } from '../api';
import { campaignRouteRef } from '../routes';
import { ErrorMessage } from './ErrorMessage';

/**
 * The golden paths' spec.types (as the Create page groups them): campaigns move
 * services made from those, not resources or runbooks.
 */
const GOLDEN_PATH_TYPES = ['service', 'website', 'library'];

/**
 * Creating a campaign: which template, to which version, from which, by when. Create
 * then runs it (a change request for every service it finds) and opens its page; a
 * run that fails leaves the campaign created, to run again from its page.
 */
export function NewCampaignDialog(props: { onClose(): void }) {
  const { onClose } = props;
  const titleId = useId();
  const api = useApi(upgradesApiRef);
  const catalogApi = useApi(catalogApiRef);
  const campaignRoute = useRouteRef(campaignRouteRef);
  const navigate = useAppNavigate();
  const [title, setTitle] = useState('');
  const [templateRef, setTemplateRef] = useState('');
  const [toVersion, setToVersion] = useState('');
  const [fromRange, setFromRange] = useState('');
  const [deadline, setDeadline] = useState('');
  const [phase, setPhase] = useState<'editing' | 'creating' | 'running'>(
    'editing',
  );
  const [error, setError] = useState<Error>();
  /** Set once created: a failed run leaves it, and Create is not offered again. */
  const [created, setCreated] = useState<Campaign>();
  const open = (campaign: Campaign) => {
    if (campaignRoute) navigate(campaignRoute({ id: campaign.id }));
    else onClose();
  };

  const templates = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Template', 'spec.type': GOLDEN_PATH_TYPES },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(entity => ({
        ref: stringifyEntityRef(entity),
        label: entity.metadata.title ?? entity.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi]);

  const versions = useAsync(
    async () =>
      templateRef ? api.getTemplateVersions(templateRef) : undefined,
    [api, templateRef],
  );
  // The latest version is the usual target.
  useEffect(() => {
    setToVersion(versions.value?.latest ?? '');
  }, [versions.value]);

  const create = async () => {
    setPhase('creating');
    setError(undefined);
    let campaign: Campaign;
    try {
      campaign = await api.createCampaign({
        title: title.trim(),
        templateRef,
        deadline,
        ...(toVersion && { toVersion }),
        ...(fromRange.trim() && { fromRange: fromRange.trim() }),
      });
    } catch (e) {
      setError(e as Error);
      setPhase('editing');
      return;
    }
    setCreated(campaign);
    setPhase('running');
    try {
      await api.runCampaign(campaign.id);
    } catch (e) {
      setError(e as Error);
      setPhase('editing');
      return;
    }
    open(campaign);
  };

  const busy = phase !== 'editing';
  const ready =
    !!title.trim() && !!templateRef && !!deadline && !busy && !created;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>New campaign</DialogTitle>
      <DialogContent>
        <TextField
          id="campaign-title"
          label="Title"
          value={title}
          onChange={e => setTitle(e.target.value)}
          placeholder="Everyone on typescript-service 1.1.0 by January"
          required
          fullWidth
          margin="normal"
        />
        <TextField
          id="campaign-template"
          select
          label="Template"
          value={templateRef}
          onChange={e => setTemplateRef(e.target.value)}
          SelectProps={{ native: true }}
          required
          fullWidth
          margin="normal"
          error={!!templates.error}
          helperText={
            templates.error
              ? `The catalog's templates could not be read: ${templates.error.message}`
              : 'The golden path whose services move'
          }
        >
          <option value="">
            {templates.loading ? 'Loading templates…' : 'Choose a template'}
          </option>
          {templates.value?.map(t => (
            <option key={t.ref} value={t.ref}>
              {t.label}
            </option>
          ))}
        </TextField>
        <TextField
          id="campaign-to-version"
          select
          label="To version"
          value={toVersion}
          onChange={e => setToVersion(e.target.value)}
          SelectProps={{ native: true }}
          disabled={!versions.value}
          fullWidth
          margin="normal"
          error={!!versions.error}
          helperText={
            versions.error
              ? `The template's versions could not be read: ${versions.error.message}`
              : 'Released versions, newest first'
          }
        >
          {!versions.value && <option value="">Choose a template first</option>}
          {versions.value?.versions.map(v => (
            <option key={v.version} value={v.version}>
              {v.version}
              {v.version === versions.value?.latest ? ' (latest)' : ''}
            </option>
          ))}
        </TextField>
        <TextField
          id="campaign-from-range"
          label="From versions"
          value={fromRange}
          onChange={e => setFromRange(e.target.value)}
          placeholder={toVersion ? `<${toVersion}` : '1.x'}
          fullWidth
          margin="normal"
          helperText="A semver range, e.g. 1.x or <1.1.0; empty: every version below the target"
        />
        <TextField
          id="campaign-deadline"
          label="Deadline"
          type="date"
          value={deadline}
          onChange={e => setDeadline(e.target.value)}
          InputLabelProps={{ shrink: true }}
          required
          fullWidth
          margin="normal"
        />
        {phase === 'running' && (
          <div role="status">
            <Typography variant="body2">Opening changes…</Typography>
            <LinearProgress aria-label="Opening changes" />
          </div>
        )}
        {error && (
          <ErrorMessage
            error={error}
            title={
              created
                ? `${created.title} was created, but its run failed: run it again from its page`
                : 'The campaign could not be created'
            }
            allowed="the platform team"
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {created ? 'Close' : 'Cancel'}
        </Button>
        {created && !busy ? (
          <Button
            color="primary"
            variant="contained"
            onClick={() => open(created)}
          >
            Open the campaign
          </Button>
        ) : (
          <Button
            color="primary"
            variant="contained"
            disabled={!ready}
            onClick={create}
          >
            {phase === 'creating' ? 'Creating…' : 'Create'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
