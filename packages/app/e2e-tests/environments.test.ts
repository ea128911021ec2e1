import { test, expect, Page } from '@playwright/test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { portalClusterConfig, statusOf } from './kubernetes';
import { deleteFromRequestPage, expectRequestState } from './requestPage';
import { signInAsGuest } from './signIn';

/** Requests an environment through its self-service form and waits until it is ready. */
async function requestEnvironment(
  page: Page,
  name: string,
  source?: string,
): Promise<number> {
  await page.goto('/self-service/request/environment');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  if (source) {
    await page.getByRole('textbox', { name: 'Copy of' }).fill(source);
  }
  const requested = Date.now();
  await page.getByRole('button', { name: /^Request Environment/ }).click();
  await expect(page).toHaveURL(/\/self-service\/requests\/[0-9a-f-]+$/);
  // Ready means every workload's pods are Running and Ready on the simulated nodes.
  await expectRequestState(page, 'ready', 120_000);
  return Date.now() - requested;
}

test('a developer creates an environment, clones it with its workloads, and tears the copy down', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const kubeConfig = portalClusterConfig();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const id = Date.now().toString(36);
  const source = `e2e-env-${id}`;
  const copy = `e2e-copy-${id}`;
  await signInAsGuest(page);

  const createMs = await requestEnvironment(page, source);
  const sourcePage = page.url();
  await expect(page.getByTestId('live-status')).toContainText('Quota');

  // The team deploys into it (as CI would): a service with a config and a secret.
  const labels = { app: 'orders-api' };
  await apps.createNamespacedDeployment({
    namespace: source,
    body: {
      metadata: { name: 'orders-api', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: 'api', image: 'ghcr.io/acme/orders-api:1.4.0' },
            ],
          },
        },
      },
    },
  });
  await core.createNamespacedConfigMap({
    namespace: source,
    body: {
      metadata: { name: 'orders-api-config' },
      data: { LOG_LEVEL: 'info' },
    },
  });
  await core.createNamespacedSecret({
    namespace: source,
    body: {
      metadata: { name: 'orders-api-secret' },
      stringData: { TOKEN: 'x' },
    },
  });

  const cloneMs = await requestEnvironment(page, copy, source);
  await expect(page.getByTestId('live-status')).toContainText('orders-api');
  const copied = await apps.readNamespacedDeployment({
    name: 'orders-api',
    namespace: copy,
  });
  expect(copied.status?.readyReplicas).toBe(2);
  await core.readNamespacedConfigMap({
    name: 'orders-api-config',
    namespace: copy,
  });
  // Secrets are never copied.
  const secret = await core
    .readNamespacedSecret({ name: 'orders-api-secret', namespace: copy })
    .then(
      () => 200,
      error => statusOf(error),
    );
  expect(secret).toBe(404);

  const tornDown = Date.now();
  await deleteFromRequestPage(page, copy);
  const teardownMs = Date.now() - tornDown;
  const namespace = await core.readNamespace({ name: copy }).then(
    () => 200,
    error => statusOf(error),
  );
  expect(namespace).toBe(404);

  // Clean up the source too, through the portal.
  await page.goto(sourcePage);
  await deleteFromRequestPage(page, source);

  // The timing is part of the test's output on purpose (reported in issue notes).
  // eslint-disable-next-line no-console
  console.log(
    `environment timing: create -> ready ${(createMs / 1000).toFixed(1)} s, ` +
      `clone -> ready ${(cloneMs / 1000).toFixed(1)} s, ` +
      `teardown -> gone ${(teardownMs / 1000).toFixed(1)} s`,
  );
});
