import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraPanel } from './DoraPanel';

/** The "Delivery (DORA)" card of a team's page: its components' figures. */
export function GroupDoraCard() {
  const { entity } = useEntity();
  const owner = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  return (
    <InfoCard title="Delivery (DORA)">
      <DoraPanel
        query={{ owner }}
        chartHeight={180}
        emptyMessage="None of this team's components was deployed to production in the last 12 weeks. Deploy from CI (POST /api/provisioning/deployments) or promote a version on a component's Deployments tab, and the figures appear here."
      />
    </InfoCard>
  );
}
