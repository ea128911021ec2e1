import { useAppLocation } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rootRouteRef } from '../routes';
import {
  campaignDetails,
  fakeUpgradesApi,
  testApis,
} from '../__testUtils__/fakeUpgradesApi';
import { CampaignsList } from './CampaignsList';

/** Where the app is: the dialog goes to the campaign's page after its run. */
function Location() {
  return <output aria-label="location">{useAppLocation().pathname}</output>;
}

const render = (api = fakeUpgradesApi()) =>
  renderInTestApp(
    <>
      <CampaignsList />
      <Location />
    </>,
    {
      apis: testApis(api) as any,
      initialRouteEntries: ['/upgrades'],
      mountedRoutes: {
        '/upgrades': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

jest.setTimeout(20_000);

describe('the campaigns list', () => {
  it('lists the campaigns with their progress', async () => {
    await render();
    const row = await screen.findByTestId('campaign-row');
    expect(
      within(row).getByRole('link', {
        name: 'Everyone on typescript-service 1.1.0',
      }),
    ).toHaveAttribute('href', '/upgrades/campaigns/k1');
    expect(row).toHaveTextContent('typescript-service');
    expect(row).toHaveTextContent('2027-01-31');
    expect(
      within(row).getByRole('progressbar', { name: '1 of 4 merged' }),
    ).toHaveAttribute('aria-valuenow', '25');
  });

  it('says what to do when there is no campaign', async () => {
    await render(fakeUpgradesApi({ listCampaigns: jest.fn(async () => []) }));
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Create a campaign to move every service of a template to a version/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'New campaign' }),
    ).toBeInTheDocument();
  });

  const fillIn = async (api: ReturnType<typeof fakeUpgradesApi>) => {
    await render(api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'New campaign' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'New campaign' });
    const create = within(dialog).getByRole('button', { name: 'Create' });
    expect(create).toBeDisabled();

    fireEvent.change(within(dialog).getByLabelText(/Title/), {
      target: { value: 'Everyone on typescript-service 1.1.0' },
    });
    const template = within(dialog).getByLabelText(/Template/);
    await within(dialog).findByRole('option', { name: 'TypeScript service' });
    fireEvent.change(template, {
      target: { value: 'template:default/typescript-service' },
    });
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/To version/)).toHaveValue('1.1.0'),
    );
    expect(api.getTemplateVersions).toHaveBeenCalledWith(
      'template:default/typescript-service',
    );
    expect(
      within(dialog).getByRole('option', { name: '1.0.0' }),
    ).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/From versions/), {
      target: { value: '1.x' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Deadline/), {
      target: { value: '2027-01-31' },
    });
    return { dialog, create };
  };

  it('creates a campaign from a template of the catalog and one of its versions, runs it and opens its page', async () => {
    let finishRun: () => void = () => {};
    const api = fakeUpgradesApi({
      runCampaign: jest.fn(
        () =>
          new Promise(resolve => {
            finishRun = () => resolve(campaignDetails);
          }),
      ),
    });
    const { dialog, create } = await fillIn(api);
    fireEvent.click(create);

    await waitFor(() =>
      expect(api.createCampaign).toHaveBeenCalledWith({
        title: 'Everyone on typescript-service 1.1.0',
        templateRef: 'template:default/typescript-service',
        toVersion: '1.1.0',
        fromRange: '1.x',
        deadline: '2027-01-31',
      }),
    );
    // Created, then run: the changes are opened while the dialog says so.
    expect(
      await within(dialog).findByRole('progressbar', {
        name: 'Opening changes',
      }),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      'Opening changes…',
    );
    expect(api.runCampaign).toHaveBeenCalledWith('k1');
    expect(screen.getByLabelText('location')).toHaveTextContent(/^\/upgrades$/);

    finishRun();
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(
        '/upgrades/campaigns/k1',
      ),
    );
  });

  it('keeps a created campaign whose run failed, to open and run again', async () => {
    const api = fakeUpgradesApi({
      runCampaign: jest.fn(async () => {
        throw new Error('the catalog is not answering');
      }),
    });
    const { dialog, create } = await fillIn(api);
    fireEvent.click(create);

    expect(
      await within(dialog).findByText(
        'Everyone on typescript-service 1.1.0 was created, but its run failed: run it again from its page',
      ),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('the catalog is not answering');
    expect(api.createCampaign).toHaveBeenCalledTimes(1);
    expect(
      within(dialog).queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Open the campaign' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(
        '/upgrades/campaigns/k1',
      ),
    );
  });
});
