import { renderInTestApp } from '@backstage/frontend-test-utils';
import { coreApis } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { rootRouteRef } from '../routes';
import {
  anIncident,
  fakeIncidentsApi,
  forbidden,
  ordersApi,
  testApis,
} from '../__testUtils__/fakeIncidentsApi';
import { EntityIncidentsContent } from './EntityIncidentsContent';

const render = (api = fakeIncidentsApi()) =>
  renderInTestApp(
    <EntityProvider entity={ordersApi}>
      <EntityIncidentsContent />
    </EntityProvider>,
    {
      apis: testApis(api) as any,
      mountedRoutes: {
        '/incidents': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

describe('the Incidents tab', () => {
  it('says what to do when the component has had no incidents', async () => {
    const api = fakeIncidentsApi();
    render(api);
    expect(
      await screen.findByText('No incidents on this component'),
    ).toBeInTheDocument();
    expect(api.listIncidents).toHaveBeenCalledWith({
      entityRef: 'component:default/orders-api',
      limit: 100,
    });
  });

  it('lists the incidents, linking to their pages', async () => {
    render(
      fakeIncidentsApi({
        listIncidents: jest.fn(async () => ({
          items: [
            anIncident(),
            anIncident({
              id: 'i0',
              summary: 'Slow',
              status: 'resolved',
              timeToRestoreMs: 65_000,
            }),
          ],
          totalCount: 2,
        })),
      }),
    );
    const link = await screen.findByRole('link', {
      name: 'Checkout fails with 502',
    });
    expect(link).toHaveAttribute('href', '/incidents/i1');
    expect(screen.getByText('1m 5s')).toBeInTheDocument();
    expect(screen.getAllByText('SEV2')).toHaveLength(2);
  });

  it('opens an incident with a severity and a summary, then shows it', async () => {
    const api = fakeIncidentsApi();
    const { apis } = render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open incident' }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'sev1');
    await userEvent.type(
      screen.getByRole('textbox', { name: /Summary/ }),
      'Checkout is down',
    );
    const dialogButtons = screen.getAllByRole('button', {
      name: 'Open incident',
    });
    await userEvent.click(dialogButtons[dialogButtons.length - 1]);
    await waitFor(() =>
      expect(api.openIncident).toHaveBeenCalledWith({
        entityRef: 'component:default/orders-api',
        severity: 'sev1',
        summary: 'Checkout is down',
      }),
    );
    await waitFor(() =>
      expect(
        apis.get(coreApis.appHistory)!.getSnapshot().location.pathname,
      ).toBe('/incidents/new'),
    );
  }, 20_000);

  it("shows the server's refusal in the dialog", async () => {
    render(
      fakeIncidentsApi({
        openIncident: jest.fn(async () => {
          throw await forbidden(
            'user:default/dave may not open incidents on component:default/orders-api: only its owning team and the platform team may',
          );
        }),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open incident' }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Summary/ }),
      'Down',
    );
    const buttons = screen.getAllByRole('button', { name: 'Open incident' });
    await userEvent.click(buttons[buttons.length - 1]);
    expect(
      await screen.findByText(/only its owning team and the platform team may/),
    ).toBeInTheDocument();
  });
});
