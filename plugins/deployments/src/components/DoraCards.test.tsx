import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import {
  doraReport,
  fakeDeploymentsApi,
  httpError,
  teamA,
  testApis,
} from '../__testUtils__/fakeDeploymentsApi';
import { GroupDoraCard } from './GroupDoraCard';
import { OrganisationDoraSection } from './OrganisationDoraSection';

const render = (element: JSX.Element, api = fakeDeploymentsApi()) =>
  renderInTestApp(<EntityProvider entity={teamA}>{element}</EntityProvider>, {
    apis: testApis(api) as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('the DORA card of a team', () => {
  it("shows the team's four figures with their levels, and the charts", async () => {
    const api = fakeDeploymentsApi();
    await render(<GroupDoraCard />, api);
    const panel = await screen.findByTestId('dora-panel');
    expect(api.getDora).toHaveBeenCalledWith({
      component: undefined,
      owner: 'group:default/team-a',
      weeks: 12,
    });
    expect(screen.getByText('Delivery (DORA)')).toBeInTheDocument();
    const tiles = {
      'Deployment frequency': ['2.5 / week', 'High'],
      'Lead time for changes': ['1d 2h', 'High'],
      'Change failure rate': ['12%', 'Elite'],
      'Time to restore': ['1h 30m', 'Elite'],
    };
    for (const [label, [value, level]] of Object.entries(tiles)) {
      const tile = within(panel).getByRole('group', { name: label });
      expect(tile).toHaveTextContent(value);
      expect(tile).toHaveTextContent(level);
    }
    expect(
      within(panel).getByRole('img', { name: 'Deployments per week' }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('img', {
        name: 'Lead time and change failure rate',
      }),
    ).toBeInTheDocument();
  });

  it('says what to do when the team deployed nothing to production', async () => {
    const api = fakeDeploymentsApi({
      getDora: jest.fn(async () => doraReport('group:default/team-a', 0)),
    });
    await render(<GroupDoraCard />, api);
    expect(await screen.findByTestId('dora-empty')).toHaveTextContent(
      /was deployed to production in the last 12 weeks. Deploy from CI/,
    );
    expect(
      screen.queryByRole('img', { name: 'Deployments per week' }),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('dora-lead-time')).toHaveTextContent('—');
  });

  it("shows the server's message when the figures cannot be read", async () => {
    const api = fakeDeploymentsApi({
      getDora: jest.fn(async () => {
        throw await httpError(400, 'weeks: must be at most 52');
      }),
    });
    await render(<GroupDoraCard />, api);
    expect(await screen.findByTestId('deployments-error')).toHaveTextContent(
      'weeks: must be at most 52',
    );
  });
});

describe("the organisation's DORA section", () => {
  it('reads the figures of the whole organisation', async () => {
    const api = fakeDeploymentsApi();
    await render(<OrganisationDoraSection />, api);
    expect(
      await screen.findByRole('region', { name: 'Delivery (DORA)' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('dora-panel')).toHaveAttribute(
      'data-scope',
      'organisation',
    );
    expect(api.getDora).toHaveBeenCalledWith({
      component: undefined,
      owner: undefined,
      weeks: 12,
    });
  });
});
