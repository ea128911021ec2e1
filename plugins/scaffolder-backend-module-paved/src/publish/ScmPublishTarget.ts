import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  PublishedLocation,
  PublishRequest,
  PublishTarget,
} from './PublishTarget';

/** Settings of a hosted git service, from `paved.scaffolder.publish.<github|gitlab>`. */
export interface ScmSettings {
  /** e.g. github.com or gitlab.example.com */
  host: string;
  /** Organization, user or group the repositories are created in. */
  owner: string;
  visibility: 'private' | 'internal' | 'public';
  defaultBranch: string;
}

/** How one hosted service names its file URLs. */
export interface ScmFlavour {
  name: 'GitHub' | 'GitLab';
  /** Base URL of the default branch's files, e.g. https://github.com/o/r/blob/main */
  contentsUrl(settings: ScmSettings, repoName: string): string;
  /** Input of the upstream action for one request. */
  actionInput(settings: ScmSettings, request: PublishRequest): JsonObject;
}

export const githubFlavour: ScmFlavour = {
  name: 'GitHub',
  contentsUrl: (s, repo) =>
    `https://${s.host}/${s.owner}/${repo}/blob/${s.defaultBranch}`,
  actionInput: (s, request) =>
    dropUndefined({
      repoUrl: repoUrl(s, request.repoName),
      description: request.description,
      defaultBranch: s.defaultBranch,
      // publish:github knows private, internal and public.
      repoVisibility: s.visibility,
    }),
};

export const gitlabFlavour: ScmFlavour = {
  name: 'GitLab',
  contentsUrl: (s, repo) =>
    `https://${s.host}/${s.owner}/${repo}/-/blob/${s.defaultBranch}`,
  actionInput: (s, request) =>
    dropUndefined({
      repoUrl: repoUrl(s, request.repoName),
      defaultBranch: s.defaultBranch,
      repoVisibility: s.visibility,
      settings: request.description
        ? { description: request.description }
        : undefined,
    }),
};

/**
 * Publishes to GitHub or GitLab by running Backstage's own `publish:github` or
 * `publish:gitlab` action (the modules stay installed and configured as their docs
 * say: integrations, credentials). Paved only decides where, from config, so that
 * templates do not change between a laptop and production.
 */
export class ScmPublishTarget implements PublishTarget {
  readonly title: string;

  constructor(
    private readonly flavour: ScmFlavour,
    private readonly settings: ScmSettings,
    private readonly upstream: TemplateAction<any, any, any>,
  ) {
    this.title = `${flavour.name} (${settings.host}/${settings.owner})`;
  }

  async exists(): Promise<undefined> {
    // Knowing needs the user's or the integration's token; publish:github and
    // publish:gitlab refuse an existing repository before pushing anything.
    return undefined;
  }

  locate(repoName: string): PublishedLocation {
    const repoContentsUrl = this.flavour.contentsUrl(this.settings, repoName);
    return {
      remoteUrl: `https://${this.settings.host}/${this.settings.owner}/${repoName}`,
      repoContentsUrl,
      catalogInfoUrl: `${repoContentsUrl}/catalog-info.yaml`,
    };
  }

  async publish(
    ctx: ActionContext<any, any>,
    request: PublishRequest,
  ): Promise<PublishedLocation> {
    const outputs: Record<string, JsonValue> = {};
    await this.upstream.handler({
      ...ctx,
      input: this.flavour.actionInput(this.settings, request),
      output: (name: string, value: JsonValue) => {
        outputs[name] = value;
      },
    });
    const located = this.locate(request.repoName);
    const repoContentsUrl =
      typeof outputs.repoContentsUrl === 'string'
        ? outputs.repoContentsUrl
        : located.repoContentsUrl;
    return {
      remoteUrl:
        typeof outputs.remoteUrl === 'string'
          ? outputs.remoteUrl
          : located.remoteUrl,
      repoContentsUrl,
      catalogInfoUrl: `${repoContentsUrl}/catalog-info.yaml`,
    };
  }
}

function repoUrl(settings: ScmSettings, repoName: string): string {
  const query = new URLSearchParams({ owner: settings.owner, repo: repoName });
  return `${settings.host}?${query}`;
}

function dropUndefined(object: Record<string, JsonValue | undefined>) {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as JsonObject;
}
