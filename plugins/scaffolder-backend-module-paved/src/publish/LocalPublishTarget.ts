import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import {
  PublishedLocation,
  PublishRequest,
  PublishTarget,
} from './PublishTarget';

/** How a local repository records the scaffolder task that created it. */
export function localCreator(taskId: string): string {
  return `scaffolder-task:${taskId}`;
}

/**
 * Publishes into bare git repositories in the portal's data folder: works on a
 * fresh machine with no network and no accounts. Developers clone the `file://`
 * remote; the catalog reads the portal's checkout.
 */
export class LocalPublishTarget implements PublishTarget {
  readonly title: string;

  constructor(
    private readonly repositories: LocalRepositories,
    private readonly defaultBranch: string,
  ) {
    this.title = `the local repositories in ${repositories.directory}`;
  }

  exists(repoName: string): Promise<boolean> {
    return this.repositories.exists(repoName);
  }

  locate(repoName: string): PublishedLocation {
    const remoteUrl = this.repositories.remoteUrl(repoName);
    return {
      remoteUrl,
      repoContentsUrl: this.repositories.checkoutFileUrl(repoName, '.'),
      catalogInfoUrl: this.repositories.checkoutFileUrl(repoName),
    };
  }

  async publish(
    ctx: ActionContext<any, any>,
    request: PublishRequest,
  ): Promise<PublishedLocation> {
    const user = ctx.user?.entity;
    const published = await this.repositories.publish({
      name: request.repoName,
      sourceDir: ctx.workspacePath,
      description: request.description,
      defaultBranch: this.defaultBranch,
      commitMessage: `Create ${request.repoName} from ${
        ctx.templateInfo?.entityRef ?? 'a golden path'
      }`,
      author: user
        ? {
            name: user.spec.profile?.displayName ?? user.metadata.name,
            email:
              user.spec.profile?.email ?? `${user.metadata.name}@paved.local`,
          }
        : undefined,
      // A recovered task finishes its own publish instead of finding the name
      // taken by itself; a failed one can take its repository back.
      createdBy: localCreator(ctx.task.id),
    });
    ctx.logger.info(
      `Pushed ${published.commitHash.slice(0, 12)} to ${published.remoteUrl} (${
        published.defaultBranch
      })`,
    );
    return this.locate(request.repoName);
  }
}
