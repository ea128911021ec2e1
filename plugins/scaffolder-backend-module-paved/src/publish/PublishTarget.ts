import { ActionContext } from '@backstage/plugin-scaffolder-node';

/** What a golden path asks a publish target to create. */
export interface PublishRequest {
  repoName: string;
  description?: string;
}

/** Where a published repository is; the outputs of `paved:publish`. */
export interface PublishedLocation {
  /** Clone URL of the repository. */
  remoteUrl: string;
  /** Base URL of the files on the default branch. */
  repoContentsUrl: string;
  /** URL of the repository's catalog-info.yaml, for `paved:catalog:register`. */
  catalogInfoUrl: string;
}

/**
 * A place where golden paths create repositories: the portal's local git folder
 * for `./paved start`, GitHub or GitLab in production. Chosen by
 * `paved.scaffolder.publish.target`, so templates never name one.
 */
export interface PublishTarget {
  /** For messages, e.g. "GitHub (github.com/acme)". */
  readonly title: string;
  /**
   * Whether a repository of that name exists; undefined when the target cannot
   * tell without credentials of the user (the publish step then refuses it).
   */
  exists(repoName: string): Promise<boolean | undefined>;
  /** Where a repository of that name would be, without creating anything (dry runs). */
  locate(repoName: string): PublishedLocation;
  /** Creates the repository with the workspace's files. Must be idempotent per task. */
  publish(
    ctx: ActionContext<any, any>,
    request: PublishRequest,
  ): Promise<PublishedLocation>;
}
