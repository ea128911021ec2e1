import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scorecardApiRef } from './api';
import { scorecardPlugin } from './plugin';
import {
  fakeScorecardApi,
  httpError,
  testApis,
} from './__testUtils__/fakeScorecardApi';

const renderPlugin = (path: string, api = fakeScorecardApi()) =>
  renderTestApp({
    features: [
      // The real client needs a backend; the pages get the fake instead.
      scorecardPlugin.withOverrides({
        extensions: [
          scorecardPlugin.getExtension('api:scorecard').override({
            params: define =>
              define({
                api: scorecardApiRef,
                deps: {},
                factory: () => api,
              }),
          }),
        ],
      }),
    ],
    apis: testApis(api).slice(1) as any,
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

// The first render of the whole app (charts included) can take several seconds on a
// busy 2-core machine; the waits below allow 10 s, so the test must too.
jest.setTimeout(30_000);

describe('the scorecard pages', () => {
  it('shows the organization level distribution and trend', async () => {
    const api = fakeScorecardApi();
    renderPlugin('/scorecard', api);
    expect(
      await screen.findByRole(
        'img',
        { name: 'Level distribution' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Level 2 · Standardized: 5')).toBeInTheDocument();
    expect(screen.getByText('12 entities scored')).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: 'Level trend' }),
    ).toBeInTheDocument();
    expect(api.getOrganizationTrend).toHaveBeenCalledWith({ days: 90 });
    expect(
      screen.getByRole('tab', { name: 'Organization maturity' }),
    ).toBeInTheDocument();
  });

  it('shows the organization maturity with the evidence per level', async () => {
    renderPlugin('/scorecard/maturity');
    const ladder = await screen.findByRole(
      'list',
      { name: 'Maturity ladder' },
      { timeout: 10_000 },
    );
    expect(
      within(ladder).getByRole('listitem', {
        name: 'Level 1 · Ad hoc: met (the organization is here)',
      }),
    ).toBeInTheDocument();
    expect(
      within(ladder).getByRole('listitem', {
        name: 'Level 2 · Standardized: not met',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('listitem', { name: 'have TechDocs ≥ 60%: unmet' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('25% of components have TechDocs (< 60%)'),
    ).toBeInTheDocument();
    expect(screen.getByText('25% / 60%')).toBeInTheDocument();
  });

  it('previews the impact of a check change', async () => {
    const api = fakeScorecardApi();
    renderPlugin('/scorecard', api);
    await userEvent.selectOptions(
      await screen.findByLabelText('Level', undefined, { timeout: 10_000 }),
      '2',
    );
    await userEvent.type(screen.getByLabelText(/Check id/), 'has-techdocs');
    await userEvent.type(screen.getByLabelText(/Fact/), 'techdocs.built');
    await userEvent.selectOptions(screen.getByLabelText('Operator'), 'equal');
    await userEvent.type(screen.getByLabelText('Value'), 'true');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview impact' }),
    );
    expect(
      await screen.findByText('0 move up, 2 move down, 10 unchanged'),
    ).toBeInTheDocument();
    expect(api.previewChecks).toHaveBeenCalledWith({
      trackId: 'platform-maturity',
      level: 2,
      check: {
        id: 'has-techdocs',
        title: 'Has TechDocs',
        rules: [{ fact: 'techdocs.built', operator: 'equal', value: true }],
      },
    });
    expect(screen.getByText('Level 1 · Ad hoc: 4 → 6')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'billing' })).toBeInTheDocument();
  }, 20_000);

  it('previews the removal of a check', async () => {
    const api = fakeScorecardApi();
    renderPlugin('/scorecard', api);
    await userEvent.selectOptions(
      await screen.findByLabelText('Change', undefined, { timeout: 10_000 }),
      'remove',
    );
    await userEvent.type(screen.getByLabelText(/Check id/), 'has-techdocs');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview impact' }),
    );
    await waitFor(() =>
      expect(api.previewChecks).toHaveBeenCalledWith({
        trackId: 'platform-maturity',
        removeCheck: 'has-techdocs',
      }),
    );
  }, 20_000);

  it('says only the platform team can change checks on 403', async () => {
    const api = fakeScorecardApi({
      previewChecks: jest.fn(async () => {
        throw await httpError(403, 'not allowed');
      }),
    });
    renderPlugin('/scorecard', api);
    await userEvent.type(
      await screen.findByLabelText(/Check id/, undefined, { timeout: 10_000 }),
      'has-techdocs',
    );
    await userEvent.type(screen.getByLabelText(/Fact/), 'techdocs.built');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview impact' }),
    );
    expect(
      await screen.findByText('Only the platform team can change checks'),
    ).toBeInTheDocument();
  }, 20_000);
});
