import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { DoraPanel } from './DoraPanel';

/** The organisation's delivery figures, a section of the adoption dashboard. */
export function OrganisationDoraSection() {
  return (
    <Paper
      component="section"
      aria-labelledby="deployments-organisation-dora"
      data-testid="organisation-dora"
    >
      <Box p={2}>
        <Typography
          id="deployments-organisation-dora"
          variant="h5"
          component="h2"
        >
          Delivery (DORA)
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Deployment frequency, lead time, change failure rate and time to
          restore of every component, from the deployment records.
        </Typography>
        <Box mt={2}>
          <DoraPanel
            query={{}}
            emptyMessage="Nothing was deployed to production in the last 12 weeks. Teams deploy from CI (POST /api/provisioning/deployments) or from a component's Deployments tab; the figures appear here as they do."
          />
        </Box>
      </Box>
    </Paper>
  );
}
