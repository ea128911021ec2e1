import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/** Where golden paths publish repositories, and where upgrades propose changes. */
export const PUBLISH_TARGETS = ['local', 'github', 'gitlab'] as const;

/** @public */
export type PublishTargetKind = (typeof PUBLISH_TARGETS)[number];

/** `paved.scaffolder.publish`, as the scaffolder module and the upgrades plugin read it. @public */
export interface PublishSettings {
  target: PublishTargetKind;
  /** The default branch of the repositories golden paths make (default `main`). */
  defaultBranch: string;
  /** GitHub and GitLab: `paved.scaffolder.publish.<target>`. */
  hosted?: {
    /** The config key of the section, e.g. `paved.scaffolder.publish.github`, for errors. */
    key: string;
    /** The organization or group repositories are made in. */
    owner: string;
    /** e.g. github.com (the default), gitlab.example.com */
    host: string;
    /** The section, for settings only one reader has (e.g. visibility). */
    config?: RootConfigService;
  };
}

/**
 * Reads `paved.scaffolder.publish`: one reading for golden paths' publishing and
 * upgrades' change requests, so both always go to the same place. A target that is
 * not one of {@link PUBLISH_TARGETS}, or a hosted one without its owner, fails with
 * the key to fix, so that the backend does not start with it.
 *
 * @public
 */
export function readPublishSettings(
  config: RootConfigService,
): PublishSettings {
  const publish = config.getOptionalConfig('paved.scaffolder.publish');
  const target = publish?.getOptionalString('target') ?? 'local';
  const defaultBranch = publish?.getOptionalString('defaultBranch') ?? 'main';
  if (!(PUBLISH_TARGETS as readonly string[]).includes(target)) {
    throw new InputError(
      `paved.scaffolder.publish.target must be one of ${PUBLISH_TARGETS.join(
        ', ',
      )}, not '${target}'`,
    );
  }
  if (target === 'local') {
    return { target, defaultBranch };
  }
  const key = `paved.scaffolder.publish.${target}`;
  const section = config.getOptionalConfig(key);
  return {
    target: target as PublishTargetKind,
    defaultBranch,
    hosted: {
      key,
      // Config.getString names the missing key in its error.
      owner: config.getString(`${key}.owner`),
      host: section?.getOptionalString('host') ?? `${target}.com`,
      ...(section ? { config: section } : {}),
    },
  };
}
