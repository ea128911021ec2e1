import {
  coreExtensionData,
  createExtension,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { adoptionApiRef } from './api';
import { adoptionPlugin } from './plugin';
import {
  fakeAdoptionApi,
  forbidden,
  noFigures,
  testApis,
} from './__testUtils__/fakeAdoptionApi';

const renderDashboard = (api = fakeAdoptionApi(), extraFeatures: any[] = []) =>
  renderTestApp({
    features: [
      ...extraFeatures,
      // The real client needs a backend; the page gets the fake instead.
      adoptionPlugin.withOverrides({
        extensions: [
          adoptionPlugin.getExtension('api:adoption').override({
            params: define =>
              define({ api: adoptionApiRef, deps: {}, factory: () => api }),
          }),
        ],
      }),
    ],
    apis: testApis(api).slice(1) as any,
    initialRouteEntries: ['/adoption'],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

const region = (name: string) => screen.getByRole('region', { name });

// The page and recharts are loaded lazily, which takes a while the first time.
const slow = { timeout: 15_000 };
jest.setTimeout(30_000);

describe('the adoption dashboard', () => {
  it('shows each section with the figures of the last 30 days', async () => {
    const api = fakeAdoptionApi();
    renderDashboard(api);
    expect(
      await screen.findByRole('heading', { name: 'Adoption dashboard' }, slow),
    ).toBeInTheDocument();
    const activeUsers = region('Active users');
    expect(
      within(activeUsers).getByRole('group', { name: 'DAU' }),
    ).toHaveTextContent('42');
    expect(
      within(activeUsers).getByRole('group', { name: 'MAU' }),
    ).toHaveTextContent('125');
    expect(
      within(activeUsers).getByRole('group', { name: 'Stickiness' }),
    ).toHaveTextContent('33%');
    const lines = within(activeUsers).getByRole('figure', {
      name: 'Daily, weekly and monthly active users',
    });
    expect(lines.querySelectorAll('.recharts-line')).toHaveLength(3);
    expect(lines).toHaveTextContent('2026-11-26');

    const usage = region('Usage per plugin');
    const bars = within(usage).getByRole('figure', {
      name: 'Events per plugin',
    });
    expect(bars.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4);
    expect(bars).toHaveTextContent('provisioning');
    const plugins = within(usage).getByRole('table', {
      name: 'Usage per plugin',
    });
    expect(
      within(plugins).getByRole('row', { name: /catalog 1,200 80/ }),
    ).toBeInTheDocument();
    expect(
      within(usage).getByRole('table', { name: 'Top pages' }),
    ).toHaveTextContent('catalog:entity');
    expect(usage).toHaveTextContent('2 more used by fewer than 3 people');

    const agents = region('Agents');
    expect(
      within(
        within(agents).getByRole('table', { name: 'Agent calls, per action' }),
      ).getByRole('row', { name: 'provisioning.plan-request 30 5' }),
    ).toBeInTheDocument();

    const search = region('Search');
    expect(
      within(search).getByRole('table', { name: 'Top searches' }),
    ).toHaveTextContent('postgres');
    expect(
      within(search).getByRole('table', { name: 'Searches with no results' }),
    ).toHaveTextContent('kafka');

    const goldenPaths = region('Golden paths');
    expect(
      within(goldenPaths).getByRole('group', { name: 'Success rate' }),
    ).toHaveTextContent('90%');
    expect(
      within(goldenPaths).getByRole('group', { name: 'Time saved' }),
    ).toHaveTextContent('3 d');
    expect(
      within(goldenPaths).getByRole('group', {
        name: 'Components from templates',
      }),
    ).toHaveTextContent('40%');
    expect(
      within(goldenPaths).getByRole('row', {
        name: /Node.js service 20 90% 1.6 min 3 d 31/,
      }),
    ).toBeInTheDocument();

    const docs = region('Docs');
    // Each documented component by name, linked to its catalog page.
    expect(
      within(
        within(docs).getByRole('table', { name: 'Most read docs' }),
      ).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments');
    expect(
      within(docs).getByRole('table', { name: 'Stale docs' }),
    ).toHaveTextContent('never');

    const nps = region('Developer satisfaction (NPS)');
    expect(within(nps).getByRole('group', { name: 'NPS' })).toHaveTextContent(
      '30',
    );
    expect(
      within(nps).getByRole('figure', { name: 'NPS per month' }),
    ).toBeInTheDocument();
    expect(
      within(nps).getByRole('list', { name: 'NPS comments' }),
    ).toHaveTextContent('Self-service databases are great');

    expect(api.getUsage).toHaveBeenCalledWith(
      expect.objectContaining({ team: undefined }),
    );
    const { from, to } = api.getUsage.mock.calls[0][0];
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);
  });

  it('asks for another range and for one team', async () => {
    const api = fakeAdoptionApi();
    renderDashboard(api);
    await screen.findByRole('region', { name: 'Active users' }, slow);

    await userEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => {
      const { from, to } = api.getActiveUsers.mock.calls.at(-1)![0];
      expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(6);
    });

    await userEvent.click(screen.getByRole('button', { name: /Team/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Payments' }),
    );
    await waitFor(() =>
      expect(api.getSearches).toHaveBeenLastCalledWith(
        expect.objectContaining({ team: 'group:default/payments-team' }),
      ),
    );
  });

  it('tells whoever is not in the platform team that the dashboard is theirs', async () => {
    const api = fakeAdoptionApi(undefined, {
      getActiveUsers: jest.fn(async () => {
        throw await forbidden();
      }),
    });
    renderDashboard(api);
    expect(
      await screen.findByText(
        'Only the platform team can see the adoption dashboard',
        undefined,
        slow,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Active users' }),
    ).not.toBeInTheDocument();
  });

  it('says what to do when nothing was recorded yet, and rolls up on demand', async () => {
    const api = fakeAdoptionApi(noFigures);
    renderDashboard(api);

    const status = await screen.findByRole('status', undefined, slow);
    expect(status).toHaveTextContent(
      'No usage recorded yet: browse the portal and come back in 5 minutes, rollups refresh every 5 minutes',
    );
    expect(region('Golden paths')).toHaveTextContent(
      'No template runs in this range',
    );
    expect(
      within(region('Agents')).getByRole('link', {
        name: 'Connect an AI agent (docs/agents.md)',
      }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.getActiveUsers).toHaveBeenCalledTimes(2));
  });

  it("shows other plugins' sections below its own", async () => {
    // What the deployments plugin does for the organisation's delivery figures.
    const section = createExtension({
      kind: 'adoption-section',
      name: 'example',
      attachTo: { id: 'page:adoption', input: 'sections' },
      output: [coreExtensionData.reactElement],
      factory: () => [
        coreExtensionData.reactElement(
          <section aria-label="Delivery">Deployments per week</section>,
        ),
      ],
    });
    renderDashboard(fakeAdoptionApi(), [
      createFrontendPlugin({ pluginId: 'example', extensions: [section] }),
    ]);
    expect(
      await screen.findByRole('region', { name: 'Delivery' }, slow),
    ).toHaveTextContent('Deployments per week');
  });
});
