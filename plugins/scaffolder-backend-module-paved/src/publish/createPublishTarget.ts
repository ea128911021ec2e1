import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createPublishGithubAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createPublishGitlabAction } from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { LocalPublishTarget } from './LocalPublishTarget';
import { PublishTarget } from './PublishTarget';
import {
  githubFlavour,
  gitlabFlavour,
  ScmPublishTarget,
  ScmSettings,
} from './ScmPublishTarget';

const TARGETS = ['local', 'github', 'gitlab'] as const;
const VISIBILITIES = ['private', 'internal', 'public'] as const;

/**
 * The publish target named by `paved.scaffolder.publish.target` (default `local`).
 * A misconfiguration fails the backend at start with the key to fix, rather than
 * the first golden path a developer runs.
 */
export function createPublishTarget(config: Config): PublishTarget {
  const publish = config.getOptionalConfig('paved.scaffolder.publish');
  const target = publish?.getOptionalString('target') ?? 'local';
  const defaultBranch = publish?.getOptionalString('defaultBranch') ?? 'main';
  if (!(TARGETS as readonly string[]).includes(target)) {
    throw new InputError(
      `paved.scaffolder.publish.target must be one of ${TARGETS.join(
        ', ',
      )}, not '${target}'`,
    );
  }
  if (target === 'local') {
    return new LocalPublishTarget(
      LocalRepositories.fromConfig(config),
      defaultBranch,
    );
  }

  const key = `paved.scaffolder.publish.${target}`;
  const scm = config.getOptionalConfig(key);
  // Config.getString names the missing key in its error.
  const owner = config.getString(`${key}.owner`);
  const visibility = scm?.getOptionalString('visibility') ?? 'private';
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) {
    throw new InputError(
      `${key}.visibility must be one of ${VISIBILITIES.join(
        ', ',
      )}, not '${visibility}'`,
    );
  }
  const integrations = ScmIntegrations.fromConfig(config);
  if (target === 'github') {
    const settings: ScmSettings = {
      host: scm?.getOptionalString('host') ?? 'github.com',
      owner,
      visibility: visibility as ScmSettings['visibility'],
      defaultBranch,
    };
    return new ScmPublishTarget(
      githubFlavour,
      settings,
      createPublishGithubAction({
        integrations,
        config,
        githubCredentialsProvider:
          DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      }),
    );
  }
  const settings: ScmSettings = {
    host: scm?.getOptionalString('host') ?? 'gitlab.com',
    owner,
    visibility: visibility as ScmSettings['visibility'],
    defaultBranch,
  };
  return new ScmPublishTarget(
    gitlabFlavour,
    settings,
    createPublishGitlabAction({ integrations, config }),
  );
}
