import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingRootLogger } from '../capturingLogger';
import { provisioningApi } from './provisioningApi';

/**
 * For tests of how resource type modules start: a backend with the provisioning
 * plugin and the modules (`features`) on exactly the config a test gives, the type
 * ids it then offers, and a kubeconfig file of a cluster nothing listens on (a module
 * reads it at start-up, and calls no cluster then).
 */
export function moduleStartup(features: BackendFeature[]) {
  const kubeconfigPath = join(
    mkdtempSync(join(tmpdir(), 'paved-module-startup-')),
    'kubeconfig',
  );
  writeFileSync(
    kubeconfigPath,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );

  /** Starts the backend with `config`; its log records are kept in `logs`. */
  const start = (config: JsonObject) => {
    const logs = capturingRootLogger();
    return {
      logs,
      backend: startTestBackend({
        features: [
          ...features,
          mockServices.rootConfig.factory({ data: config }),
          logs.factory,
        ],
      }),
    };
  };

  /** The ids of the resource types the backend offers. */
  const typeIds = async (backend: TestBackend): Promise<string[]> => {
    const { api } = provisioningApi(() => backend.server);
    return (await api('get', '/types')).body.items.map(
      (type: { id: string }) => type.id,
    );
  };

  return {
    kubeconfigPath,
    start,
    typeIds,
    /**
     * Expects the backend to start without the module's config section, offering no
     * resource type and warning `warning`, which says why.
     */
    async expectOffWithoutSection(warning: string) {
      const { logs, backend } = start({});
      const started = await backend;
      try {
        expect(await typeIds(started)).toEqual([]);
        expect(logs.records).toContainEqual(
          expect.objectContaining({ level: 'warn', message: warning }),
        );
      } finally {
        await started.stop();
      }
    },
  };
}
