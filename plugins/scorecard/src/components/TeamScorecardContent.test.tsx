import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  fakeScorecardApi,
  teamA,
  testApis,
} from '../__testUtils__/fakeScorecardApi';
import { TeamScorecardContent } from './TeamScorecardContent';

describe('the Scorecard tab of a group', () => {
  it('shows the distribution, the failing checks with their fix and the entities', async () => {
    const api = fakeScorecardApi();
    renderInTestApp(
      <EntityProvider entity={teamA}>
        <TeamScorecardContent />
      </EntityProvider>,
      {
        apis: testApis(api) as any,
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('img', { name: 'Level distribution' }),
    ).toBeInTheDocument();
    expect(api.getTeamScorecard).toHaveBeenCalledWith('group:default/team-a');
    expect(screen.getByText('Level 2 · Standardized: 1')).toBeInTheDocument();
    expect(screen.getByText('Has TechDocs')).toBeInTheDocument();
    expect(screen.getByText('1 (50%)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'How to fix: Has TechDocs' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'orders' })).toBeInTheDocument();
  });
});
