import { renderInTestApp } from '@backstage/frontend-test-utils';
import { LocalClusterStatus } from '@paved/plugin-provisioning-common';
import { act, screen, waitFor } from '@testing-library/react';
import {
  fakeProvisioningApi,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { LocalClusterNotice } from './LocalClusterNotice';

/** A backend whose answer about the local cluster the test moves on. */
function answering(first: LocalClusterStatus | Error) {
  const backend = { answer: first };
  const api = fakeProvisioningApi({
    getLocalCluster: jest.fn(async () => {
      if (backend.answer instanceof Error) throw backend.answer;
      return backend.answer;
    }),
  });
  return { api, backend };
}

/** Lets time pass, with React's updates of that time applied. */
const pause = (ms: number) =>
  act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));

/** Waits until the notice asked the backend `n` more times. */
async function moreCalls(
  api: ReturnType<typeof fakeProvisioningApi>,
  n: number,
) {
  const target = api.getLocalCluster.mock.calls.length + n;
  await waitFor(() =>
    expect(api.getLocalCluster.mock.calls.length).toBeGreaterThanOrEqual(
      target,
    ),
  );
}

async function render(api: ReturnType<typeof fakeProvisioningApi>) {
  // In act: the first answer arrives while the app renders.
  await act(async () => {
    await renderInTestApp(
      <>
        <LocalClusterNotice pollMs={20} />
        <p>the page</p>
      </>,
      { apis: testApis(api) },
    );
  });
}

describe('LocalClusterNotice', () => {
  it('follows the build until the cluster is ready, through the backend restart, then offers a reload', async () => {
    const { api, backend } = answering({
      state: 'building',
      step: 'etcd (1 of 5)',
      lastBuildSeconds: 412,
    });
    await render(api);

    expect(
      await screen.findByText(
        'The local Kubernetes cluster is still being built',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /^Building etcd \(1 of 5\).*The last build took 6 min 52 s\./,
      ),
    ).toBeInTheDocument();

    backend.answer = { state: 'building', step: 'kube-apiserver (2 of 5)' };
    expect(
      await screen.findByText(/^Building kube-apiserver \(2 of 5\)/),
    ).toBeInTheDocument();

    backend.answer = {
      state: 'starting',
      step: "restarting the portal's backend",
    };
    expect(
      await screen.findByText('The local Kubernetes cluster is starting'),
    ).toBeInTheDocument();

    // The backend restarts: its calls fail, the notice stays and keeps asking.
    backend.answer = new Error('Failed to fetch');
    await moreCalls(api, 3);
    expect(
      screen.getByText('The local Kubernetes cluster is starting'),
    ).toBeInTheDocument();

    backend.answer = { state: 'ready' };
    expect(
      await screen.findByText('The local Kubernetes cluster is ready'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();

    // Ready: it stops asking.
    const calls = api.getLocalCluster.mock.calls.length;
    await pause(100);
    expect(api.getLocalCluster).toHaveBeenCalledTimes(calls);
  });

  it('shows nothing where there is no local cluster, and asks once', async () => {
    const { api } = answering({ state: 'off' });
    await render(api);

    expect(await screen.findByText('the page')).toBeInTheDocument();
    await waitFor(() => expect(api.getLocalCluster).toHaveBeenCalled());
    await pause(100);
    expect(api.getLocalCluster).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/local Kubernetes cluster/),
    ).not.toBeInTheDocument();
  });

  it('shows nothing when the cluster was ready before the page opened', async () => {
    await render(answering({ state: 'ready' }).api);
    expect(await screen.findByText('the page')).toBeInTheDocument();
    expect(
      screen.queryByText(/local Kubernetes cluster/),
    ).not.toBeInTheDocument();
  });

  it('says why the cluster is not available', async () => {
    await render(
      answering({
        state: 'failed',
        message:
          'The build failed: go is not on PATH (log: /d/cluster-build.log).',
      }).api,
    );
    expect(
      await screen.findByText('The local Kubernetes cluster is not available'),
    ).toBeInTheDocument();
    expect(screen.getByText(/go is not on PATH/)).toBeInTheDocument();
  });

  it('does not keep asking a backend that never answered', async () => {
    const { api } = answering(new Error('Not found'));
    await render(api);
    await waitFor(() => expect(api.getLocalCluster).toHaveBeenCalled());
    await pause(100);
    expect(api.getLocalCluster).toHaveBeenCalledTimes(1);
    expect(
      screen.queryByText(/local Kubernetes cluster/),
    ).not.toBeInTheDocument();
  });
});
