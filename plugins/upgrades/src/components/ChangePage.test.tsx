import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rootRouteRef } from '../routes';
import {
  aChange,
  conflictedChange,
  conflictedDiff,
  fakeUpgradesApi,
  httpError,
  testApis,
} from '../__testUtils__/fakeUpgradesApi';
import { ChangePage } from './ChangePage';

const render = (api = fakeUpgradesApi()) =>
  renderInTestApp(<ChangePage id="c1" />, {
    apis: testApis(api) as any,
    mountedRoutes: {
      '/upgrades': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

jest.setTimeout(20_000);

describe('a change request page', () => {
  it('shows the change and each file with its coloured diff', async () => {
    const api = fakeUpgradesApi();
    await render(api);
    expect(
      await screen.findByRole('heading', {
        name: 'Upgrade typescript-service from 1.0.0 to 1.1.0',
      }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('change-state')[0]).toHaveTextContent('Open');
    expect(screen.getByTestId('change-summary')).toHaveTextContent(
      'template typescript-service 1.0.0 → 1.1.0. Repository orders-api, branch paved/upgrade-typescript-service-1.1.0.',
    );
    const files = await screen.findAllByTestId('file-diff');
    expect(files.map(f => f.getAttribute('data-path'))).toEqual([
      'Dockerfile',
      '.dockerignore',
    ]);
    const patch = within(files[0]).getByLabelText('Diff of Dockerfile');
    const kinds = (kind: string) =>
      Array.from(patch.querySelectorAll(`[data-line="${kind}"]`)).map(
        l => l.textContent,
      );
    expect(kinds('added')).toEqual(['+RUN npm ci --omit=dev', '+USER node']);
    expect(kinds('removed')).toEqual(['-RUN npm ci']);
    expect(kinds('hunk')).toEqual(['@@ -1,3 +1,4 @@']);
    // The file headers are not counted as added or removed lines.
    expect(kinds('header')).toContain('+++ b/Dockerfile');
    expect(screen.queryByTestId('how-to-resolve')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Merge' })).toBeEnabled();
  });

  it('shows the three sides of a conflict, how to resolve it, and does not merge', async () => {
    const api = fakeUpgradesApi({
      getChange: jest.fn(async () => conflictedChange),
      getChangeDiff: jest.fn(async () => conflictedDiff),
      refreshChange: jest.fn(async () => conflictedChange),
    });
    await render(api);
    expect(await screen.findByRole('button', { name: 'Merge' })).toBeDisabled();
    const howTo = screen.getByTestId('how-to-resolve');
    expect(howTo).toHaveTextContent(
      "The service's edits and the template's overlap in Dockerfile",
    );
    expect(howTo).toHaveTextContent(
      'git checkout paved/upgrade-typescript-service-1.1.0',
    );
    expect(howTo).toHaveTextContent('Click Refresh here');

    const sides = await screen.findByTestId('conflict-sides');
    expect(
      within(sides).getByLabelText('Dockerfile: Base (template 1.0.0)'),
    ).toHaveTextContent('RUN npm ci');
    expect(
      within(sides).getByLabelText('Dockerfile: Service (ours)'),
    ).toHaveTextContent('RUN npm ci --production');
    expect(
      within(sides).getByLabelText('Dockerfile: Template 1.1.0 (theirs)'),
    ).toHaveTextContent('RUN npm ci --omit=dev');

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.refreshChange).toHaveBeenCalledWith('c1'));
    await waitFor(() => expect(api.getChange).toHaveBeenCalledTimes(2));
    expect(api.mergeChange).not.toHaveBeenCalled();
  });

  it('merges after confirming and shows the merged state', async () => {
    let merged = false;
    const api = fakeUpgradesApi({
      getChange: jest.fn(async () =>
        merged
          ? aChange({ state: 'merged', mergedAt: '2026-12-08T11:00:00.000Z' })
          : aChange(),
      ),
      mergeChange: jest.fn(async () => {
        merged = true;
        return aChange({ state: 'merged' });
      }),
    });
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Merge' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Merge paved/upgrade-typescript-service-1.1.0?',
    });
    expect(api.mergeChange).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(api.mergeChange).toHaveBeenCalledWith('c1'));
    expect(
      await screen.findByText(/Merged into the default branch/),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('change-state')[0]).toHaveTextContent(
      'Merged',
    );
    expect(
      screen.queryByRole('button', { name: 'Merge' }),
    ).not.toBeInTheDocument();
  });

  it("shows a refused merge with the server's message", async () => {
    const api = fakeUpgradesApi({
      mergeChange: jest.fn(async () => {
        throw await httpError(
          409,
          'the default branch moved since the change was made; refresh it',
        );
      }),
    });
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Merge' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merge' }));
    const error = await screen.findByTestId('upgrades-error');
    expect(error).toHaveTextContent('The change could not be merged');
    expect(error).toHaveTextContent(
      'the default branch moved since the change was made; refresh it',
    );
  });

  it('closes after confirming', async () => {
    const api = fakeUpgradesApi();
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Close' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Close change' }),
    );
    await waitFor(() => expect(api.closeChange).toHaveBeenCalledWith('c1'));
  });

  it('leaves merging a pull request to its host', async () => {
    await render(
      fakeUpgradesApi({
        getChange: jest.fn(async () =>
          aChange({
            target: 'github',
            repository: 'https://github.com/acme/orders-api',
            url: 'https://github.com/acme/orders-api/pull/7',
          }),
        ),
      }),
    );
    expect(
      await screen.findByRole('link', { name: /^Open the pull request/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/orders-api/pull/7');
    expect(
      screen.queryByRole('button', { name: 'Merge' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('says when the change does not exist', async () => {
    await render(
      fakeUpgradesApi({
        getChange: jest.fn(async () => {
          throw await httpError(404, 'no change c1');
        }),
      }),
    );
    expect(await screen.findByText(/no change c1/)).toBeInTheDocument();
  });
});
