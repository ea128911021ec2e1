import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  DirectoryPreparer,
  techdocsPreparerExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import { StagedDirectoryPreparer } from './StagedDirectoryPreparer';

/**
 * TechDocs module: `dir:` docs on the backend's disk are built from a staged copy of
 * what mkdocs reads, and not rebuilt while unchanged (see StagedDirectoryPreparer).
 * Beside the prebuild, which syncs them on a schedule.
 */
export const techdocsModuleStagedDirectories = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'paved-staged-directories',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        preparers: techdocsPreparerExtensionPoint,
      },
      async init({ config, logger, urlReader, preparers }) {
        preparers.registerPreparer(
          'dir',
          new StagedDirectoryPreparer({
            fallback: DirectoryPreparer.fromConfig(config, {
              logger,
              reader: urlReader,
            }),
            integrations: ScmIntegrations.fromConfig(config),
            workingDirectory: config.getOptionalString(
              'backend.workingDirectory',
            ),
          }),
        );
      },
    });
  },
});
