import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createPublishGithubAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createPublishGitlabAction } from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { readPublishSettings } from '@paved/backend-plugin-utils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { LocalPublishTarget } from './LocalPublishTarget';
import { PublishTarget } from './PublishTarget';
import {
  githubFlavour,
  gitlabFlavour,
  ScmPublishTarget,
  ScmSettings,
} from './ScmPublishTarget';

const VISIBILITIES = ['private', 'internal', 'public'] as const;

/**
 * The publish target named by `paved.scaffolder.publish.target` (default `local`).
 * A misconfiguration fails the backend at start with the key to fix, rather than
 * the first golden path a developer runs.
 */
export function createPublishTarget(config: Config): PublishTarget {
  const { target, defaultBranch, hosted } = readPublishSettings(config);
  if (!hosted) {
    return new LocalPublishTarget(
      LocalRepositories.fromConfig(config),
      defaultBranch,
    );
  }

  const { key, owner, host, config: scm } = hosted;
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
      host,
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
    host,
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
