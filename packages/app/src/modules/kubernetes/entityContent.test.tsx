import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import {
  ProvisioningApi,
  provisioningApiRef,
} from '@paved/plugin-provisioning';
import { act, screen } from '@testing-library/react';
import { kubernetesEntityContent } from './entityContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    annotations: { 'backstage.io/kubernetes-id': 'orders' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

type LocalClusterStatus = Awaited<
  ReturnType<ProvisioningApi['getLocalCluster']>
>;

/** The Kubernetes tab of `entity`, on a portal whose local cluster is in `status`. */
async function renderTab(status: LocalClusterStatus) {
  const tester = createExtensionTester(kubernetesEntityContent);
  // In act: the tab is lazy, and the notice's first answer arrives meanwhile.
  await act(async () => {
    await renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [
          [provisioningApiRef, { getLocalCluster: async () => status } as any],
          // No cluster connected yet: the stock tab finds nothing.
          [
            kubernetesApiRef,
            {
              getClusters: async () => [],
              getObjectsByEntity: async () => ({ items: [] }),
            } as any,
          ],
          [
            kubernetesAuthProvidersApiRef,
            {
              decorateRequestBodyForAuth: async (_: string, body: any) => body,
            } as any,
          ],
          mockApis.permission(),
        ],
      },
    );
  });
  return tester;
}

describe('the Kubernetes tab', () => {
  it('keeps the stock tab where it was', async () => {
    const tester = await renderTab({ state: 'off' });
    expect(tester.get(coreExtensionData.routePath)).toBe('/kubernetes');
    expect(await screen.findByText('Your Clusters')).toBeInTheDocument();
  });

  it('says above it that the local cluster is still being built', async () => {
    await renderTab({
      state: 'building',
      step: 'kube-apiserver (2 of 5)',
      lastBuildSeconds: 412,
    });
    expect(
      await screen.findByText(
        'The local Kubernetes cluster is still being built',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The last build took 6 min 52 s\./),
    ).toBeInTheDocument();
    expect(await screen.findByText('Your Clusters')).toBeInTheDocument();
  });

  it('says nothing of a local cluster in production', async () => {
    await renderTab({ state: 'off' });
    expect(await screen.findByText('Your Clusters')).toBeInTheDocument();
    expect(
      screen.queryByText(/local Kubernetes cluster/),
    ).not.toBeInTheDocument();
  });
});
