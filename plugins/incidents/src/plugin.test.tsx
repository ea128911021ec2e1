import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { incidentsApiRef } from './api';
import { incidentsPlugin } from './plugin';
import {
  anIncident,
  fakeIncidentsApi,
  testApis,
} from './__testUtils__/fakeIncidentsApi';

const renderPlugin = (path: string, api = fakeIncidentsApi()) =>
  renderTestApp({
    features: [
      incidentsPlugin.withOverrides({
        extensions: [
          incidentsPlugin.getExtension('api:incidents').override({
            params: define =>
              define({ api: incidentsApiRef, deps: {}, factory: () => api }),
          }),
        ],
      }),
    ],
    apis: testApis(api).slice(1) as any,
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('the incidents page', () => {
  it('says when nothing is open and where incidents are opened', async () => {
    const api = fakeIncidentsApi();
    renderPlugin('/incidents', api);
    expect(await screen.findByText('No open incidents')).toBeInTheDocument();
    expect(api.listIncidents).toHaveBeenCalledWith({
      status: ['open'],
      limit: 100,
    });
  });

  it('lists the open incidents across the organisation', async () => {
    renderPlugin(
      '/incidents',
      fakeIncidentsApi({
        listIncidents: jest.fn(async () => ({
          items: [anIncident()],
          totalCount: 1,
        })),
      }),
    );
    expect(
      await screen.findByRole('link', { name: 'Checkout fails with 502' }),
    ).toHaveAttribute('href', '/incidents/i1');
    expect(screen.getByText('Open incidents (1)')).toBeInTheDocument();
  });

  it('shows an incident at /incidents/:id', async () => {
    const api = fakeIncidentsApi();
    renderPlugin('/incidents/i42', api);
    expect(
      await screen.findByRole('heading', { name: 'Checkout fails with 502' }),
    ).toBeInTheDocument();
    expect(api.getIncident).toHaveBeenCalledWith('i42');
  });
});
