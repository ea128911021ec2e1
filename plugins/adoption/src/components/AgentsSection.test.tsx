import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { figures, noFigures } from '../__testUtils__/fakeAdoptionApi';
import { AGENTS_DOCS, AgentsSection } from './AgentsSection';

describe('AgentsSection', () => {
  it("shows agents' calls per action beside people's actions", async () => {
    await renderInTestApp(<AgentsSection data={figures.usage} />);

    const agents = screen.getByRole('region', { name: 'Agents' });
    expect(
      within(agents).getByRole('group', { name: 'Agent calls' }),
    ).toHaveTextContent('40');
    expect(
      within(agents).getByRole('group', { name: 'Actions by people' }),
    ).toHaveTextContent('60');
    expect(
      within(agents).getByRole('group', { name: 'Share by agents' }),
    ).toHaveTextContent('40%');

    const table = within(agents).getByRole('table', {
      name: 'Agent calls, per action',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Tool', 'Calls', 'People']);
    expect(
      within(table).getByRole('row', {
        name: 'provisioning.plan-request 30 5',
      }),
    ).toBeInTheDocument();
    expect(
      within(table).getByRole('row', {
        name: 'provisioning.submit-request 10 4',
      }),
    ).toBeInTheDocument();
    // People's own actions are not agent calls.
    expect(table).not.toHaveTextContent('request-create');
    expect(
      within(agents).queryByRole('link', { name: /Connect an AI agent/ }),
    ).not.toBeInTheDocument();
  });

  it('says how to connect an agent when none has called yet', async () => {
    await renderInTestApp(<AgentsSection data={noFigures.usage} />);

    const agents = screen.getByRole('region', { name: 'Agents' });
    expect(agents).toHaveTextContent('No agent calls in this range yet.');
    expect(
      within(agents).getByRole('link', {
        name: 'Connect an AI agent (docs/agents.md)',
      }),
    ).toHaveAttribute('href', AGENTS_DOCS);
    expect(
      within(agents).queryByRole('table', { name: 'Agent calls, per action' }),
    ).not.toBeInTheDocument();
  });
});
