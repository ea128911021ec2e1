import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Campaign } from '@paved/plugin-upgrades-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { upgradesApiRef } from '../api';
import { deadlineText, templateName } from '../lib/format';
import { campaignRouteRef } from '../routes';
import { NewCampaignDialog } from './NewCampaignDialog';

/** merged / total as a bar and as figures. */
export function MergedProgress(props: { campaign: Campaign }) {
  const { merged, total } = props.campaign.counts;
  const percent = total ? Math.round((merged / total) * 100) : 0;
  return (
    <Box minWidth={140}>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={`${merged} of ${total} merged`}
      />
      <Typography variant="caption">
        {merged}/{total} merged
      </Typography>
    </Box>
  );
}

/** `/upgrades`: the campaigns, and creating one. */
export function CampaignsList() {
  const api = useApi(upgradesApiRef);
  const campaignRoute = useRouteRef(campaignRouteRef);
  const campaigns = useAsyncRetry(() => api.listCampaigns(), [api]);
  const [creating, setCreating] = useState(false);

  let content;
  if (campaigns.loading && !campaigns.value) content = <Progress />;
  else if (campaigns.error) {
    content = <ResponseErrorPanel error={campaigns.error} />;
  } else if (campaigns.value!.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No campaigns yet"
        description="Create a campaign to move every service of a template to a version: it opens a change request on each service below that version, notifies the owners, and charts the progress until the deadline."
      />
    );
  } else {
    content = (
      <Paper variant="outlined">
        <Table size="small" aria-label="Campaigns">
          <TableHead>
            <TableRow>
              <TableCell>Campaign</TableCell>
              <TableCell>Template</TableCell>
              <TableCell>To version</TableCell>
              <TableCell>Deadline</TableCell>
              <TableCell>Progress</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {campaigns.value!.map(campaign => (
              <TableRow key={campaign.id} data-testid="campaign-row">
                <TableCell>
                  {campaignRoute ? (
                    <Link to={campaignRoute({ id: campaign.id })}>
                      {campaign.title}
                    </Link>
                  ) : (
                    campaign.title
                  )}
                </TableCell>
                <TableCell>{templateName(campaign.templateRef)}</TableCell>
                <TableCell>{campaign.toVersion}</TableCell>
                <TableCell>
                  {campaign.deadline}{' '}
                  <Typography variant="caption" color="textSecondary">
                    ({deadlineText(campaign.deadline)})
                  </Typography>
                </TableCell>
                <TableCell>
                  <MergedProgress campaign={campaign} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    );
  }

  return (
    <>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="h4" component="h2" style={{ flex: 1 }}>
          Campaigns
        </Typography>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setCreating(true)}
        >
          New campaign
        </Button>
      </Box>
      {content}
      {creating && (
        <NewCampaignDialog
          onClose={() => {
            setCreating(false);
            // A campaign created whose run failed is listed now.
            campaigns.retry();
          }}
        />
      )}
    </>
  );
}
