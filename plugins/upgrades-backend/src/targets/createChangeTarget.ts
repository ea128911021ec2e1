import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createPublishGitlabMergeRequestAction } from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { readPublishSettings } from '@paved/backend-plugin-utils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { ChangeTarget, ServiceRepository } from '../ports';
import { LocalChangeTarget } from './local/LocalChangeTarget';
import {
  githubChangeFlavour,
  gitlabChangeFlavour,
  ScmChangeTarget,
} from './scm/ScmChangeTarget';

/** The upstream actions hosted targets send their requests with. */
export interface HostedChangeActions {
  githubPullRequest?: TemplateAction<any, any, any>;
  gitlabMergeRequest?: TemplateAction<any, any, any>;
}

export interface CreateChangeTargetOptions {
  config: Config;
  /** The local target's repositories; default LocalRepositories.fromConfig(config). */
  repositories?: LocalRepositories;
  urlReader: UrlReaderService;
  /**
   * publish:github:pull-request / publish:gitlab:merge-request; made from the
   * config's integrations when left out (tests pass stand-ins).
   */
  actions?: HostedChangeActions;
  /** Local target: called after a merge moved the default branch and the checkout (e.g. refresh the catalog entity). */
  onMerged?: (repository: ServiceRepository) => Promise<void>;
  logger?: LoggerService;
}

/**
 * The change target named by `paved.scaffolder.publish.target` (default `local`):
 * change requests go where golden paths publish. A misconfiguration fails the
 * backend at start with the key to fix.
 */
export function createChangeTarget(
  options: CreateChangeTargetOptions,
): ChangeTarget {
  const { config } = options;
  const { target, defaultBranch, hosted } = readPublishSettings(config);
  if (!hosted) {
    return new LocalChangeTarget({
      repositories:
        options.repositories ?? LocalRepositories.fromConfig(config),
      onMerged: options.onMerged,
    });
  }

  const flavour =
    target === 'github' ? githubChangeFlavour : gitlabChangeFlavour;
  const settings = { host: hosted.host, owner: hosted.owner, defaultBranch };
  const action =
    target === 'github'
      ? options.actions?.githubPullRequest ??
        createHostedChangeActions(config).githubPullRequest!
      : options.actions?.gitlabMergeRequest ??
        createHostedChangeActions(config).gitlabMergeRequest!;
  return new ScmChangeTarget({
    flavour,
    settings,
    urlReader: options.urlReader,
    action,
    logger: options.logger,
  });
}

/** Backstage's own request actions, with the config's integrations and credentials. */
export function createHostedChangeActions(
  config: Config,
): Required<HostedChangeActions> {
  const integrations = ScmIntegrations.fromConfig(config);
  return {
    githubPullRequest: createPublishGithubPullRequestAction({
      integrations,
      config,
      githubCredentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    }),
    gitlabMergeRequest: createPublishGitlabMergeRequestAction({
      integrations,
    }),
  };
}
