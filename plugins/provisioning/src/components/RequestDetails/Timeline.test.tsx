import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { ProvisioningEvent } from '@paved/plugin-provisioning-common';
import { Timeline } from './Timeline';

const event = (
  id: number,
  type: string,
  message: string,
  actor?: string,
): ProvisioningEvent => ({
  id,
  requestId: 'r1',
  type,
  message,
  actor,
  createdAt: `2026-11-20T10:0${id}:00.000Z`,
});

describe('Timeline', () => {
  it('labels drift corrections, extensions and expiries', async () => {
    await renderInTestApp(
      <Timeline
        events={[
          event(
            3,
            'expired',
            'preview-1 expired unused and is deleted',
            'system:expiry',
          ),
          event(
            1,
            'drift-corrected',
            "The Secret 'orders-db-credentials' was changed outside the portal and was put back",
            'system:reconciler',
          ),
          event(
            2,
            'extended',
            "user:default/alice extended the resource's life until 11/22/2026",
            'user:default/alice',
          ),
          event(4, 'step-failed', 'Step provision failed'),
        ]}
      />,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    const items = within(
      screen.getByRole('list', { name: 'Timeline' }),
    ).getAllByRole('listitem');
    expect(items.map(item => item.getAttribute('data-event-type'))).toEqual([
      'drift-corrected',
      'extended',
      'expired',
      'step-failed',
    ]);

    const drift = within(items[0]).getByText('Drift corrected:');
    expect(drift).toHaveAttribute('data-color', 'warning');
    expect(items[0]).toHaveTextContent(
      /Drift corrected:.*was put back.*system:reconciler/,
    );
    expect(items[0].querySelector('svg')).not.toBeNull();

    expect(within(items[1]).getByText('Extended:')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent(/extended the resource's life/);
    // People by name, linked to their page, in the message and as the actor;
    // actors that are not in the catalog as they were recorded.
    expect(items[1]).not.toHaveTextContent('user:default/alice');
    const alice = within(items[1]).getAllByRole('link', { name: 'alice' });
    expect(alice).toHaveLength(2);
    for (const link of alice) {
      expect(link).toHaveAttribute('href', '/catalog/default/user/alice');
    }
    expect(within(items[0]).queryByRole('link')).not.toBeInTheDocument();
    expect(within(items[2]).getByText('Expired:')).toHaveAttribute(
      'data-color',
      'warning',
    );
    expect(within(items[3]).getByText('Step provision failed')).toHaveAttribute(
      'data-color',
      'danger',
    );
  });
});
