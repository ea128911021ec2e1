/*
 * Released template versions, side by side with the current one (ports.ts): the
 * catalog says where a template is and which version is current; CHANGELOG.md lists
 * the released versions; versions/<version>/ keeps each older one as released.
 */
import path from 'node:path';
import semver from 'semver';
import { parseAllDocuments } from 'yaml';
import {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  TemplateEntityV1beta3,
  templateEntityV1beta3Validator,
} from '@backstage/plugin-scaffolder-common';
import {
  ChangelogEntry,
  normalizeTemplateRef,
  parseChangelog,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import { TemplateVersion, TemplateVersions } from '../ports';
import {
  CHANGELOG_FILE,
  FileTemplateSource,
  TemplateSource,
  UrlTemplateSource,
  VERSIONS_DIR,
} from './templateSources';

/**
 * How long reads are reused. A campaign renders the same two versions for every
 * service of a template (hundreds); a released version never changes, and the
 * catalog's idea of the current version may lag by this much at most.
 */
const DEFAULT_CACHE_TTL_MS = 60_000;

interface TemplateContext {
  ref: string;
  name: string;
  entity: Entity;
  latest: string;
  source: TemplateSource;
  versions: ChangelogEntry[];
}

export interface CatalogTemplateVersionsOptions {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  logger?: LoggerService;
  /** 0 turns caching off. */
  cacheTtlMs?: number;
  /** For tests. */
  now?: () => number;
}

/** {@link TemplateVersions} from the catalog's templates and the files beside them. */
export class CatalogTemplateVersions implements TemplateVersions {
  private readonly cache = new Map<
    string,
    { expires: number; value: Promise<unknown> }
  >();
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: CatalogTemplateVersionsOptions) {
    this.ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  async list(
    templateRef: string,
  ): Promise<{ latest: string; versions: ChangelogEntry[] }> {
    const context = await this.context(templateRef);
    return { latest: context.latest, versions: context.versions };
  }

  async read(templateRef: string, version: string): Promise<TemplateVersion> {
    // Only a semver version can name a folder: never a path (../, /etc/...).
    if (typeof version !== 'string' || semver.valid(version) !== version) {
      throw new InputError(
        `version '${version}' is not a semver version (e.g. 1.1.0)`,
      );
    }
    const ref = normalizeRef(templateRef);
    const read = await this.cached(`read:${ref}@${version}`, () =>
      this.readUncached(ref, version),
    );
    // A copy of the map: callers may add or drop files without touching the cache.
    return { ...read, files: new Map(read.files) };
  }

  private async readUncached(
    ref: string,
    version: string,
  ): Promise<TemplateVersion> {
    const context = await this.context(ref);
    if (version === context.latest) {
      return {
        templateRef: ref,
        version,
        entity: asTemplate(context.entity),
        files: await context.source.readFiles('', { current: true }),
      };
    }
    const dir = `${VERSIONS_DIR}/${version}`;
    const text = await context.source.readText(`${dir}/template.yaml`);
    if (text === undefined) {
      const released = context.versions.map(v => v.version);
      if (released.includes(version)) {
        throw new NotFoundError(
          `Template ${context.name} ${version} is in its ${CHANGELOG_FILE} but ${dir}/template.yaml is gone (${context.source.description})`,
        );
      }
      throw new NotFoundError(
        `Template ${
          context.name
        } has no released version ${version} (released: ${released.join(
          ', ',
        )})`,
      );
    }
    const entity = await parseTemplateYaml(text, `${dir}/template.yaml`);
    const recorded = entity.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION];
    if (recorded !== undefined && recorded !== version) {
      // Rendering it would stamp services with the wrong version.
      throw new Error(
        `Template ${context.name}: ${dir}/template.yaml says ${TEMPLATE_VERSION_ANNOTATION} '${recorded}', not '${version}'`,
      );
    }
    return {
      templateRef: ref,
      version,
      entity,
      files: await context.source.readFiles(dir, { current: false }),
    };
  }

  private context(templateRef: string): Promise<TemplateContext> {
    const ref = normalizeRef(templateRef);
    return this.cached(`context:${ref}`, () => this.contextUncached(ref));
  }

  private async contextUncached(ref: string): Promise<TemplateContext> {
    const { catalog, auth } = this.options;
    const entity = await catalog.getEntityByRef(ref, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(`Template ${ref} is not in the catalog`);
    }
    const name = entity.metadata.name;
    const latest = entity.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION];
    if (!latest || !semver.valid(latest)) {
      throw new NotFoundError(
        `Template ${name} has no released versions: its ${TEMPLATE_VERSION_ANNOTATION} annotation is ${
          latest ? `'${latest}', not a semver version` : 'missing'
        }`,
      );
    }
    const source = this.sourceOf(entity);
    const changelog = await source.readText(CHANGELOG_FILE);
    let versions: ChangelogEntry[] =
      changelog === undefined ? [] : parseChangelog(changelog);
    if (!versions.some(v => v.version === latest)) {
      // The current version is released by being in the catalog, changelog or not.
      if (changelog !== undefined) {
        this.options.logger?.warn(
          `Template ${name} is at ${latest}, which its ${CHANGELOG_FILE} does not list`,
        );
      }
      versions = [{ version: latest, text: '' }, ...versions];
    }
    return { ref, name, entity, latest, source, versions };
  }

  private sourceOf(entity: Entity): TemplateSource {
    const name = entity.metadata.name;
    const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
    if (!location) {
      throw new NotFoundError(
        `Template ${name} has no ${ANNOTATION_LOCATION} annotation: its files cannot be found`,
      );
    }
    const { type, target } = parseLocationRef(location);
    if (type === 'file' && path.isAbsolute(target)) {
      return new FileTemplateSource(path.dirname(target));
    }
    if (type === 'url') {
      return new UrlTemplateSource(this.options.urlReader, target);
    }
    throw new InputError(
      `Template ${name} is at ${location}: only file: (absolute) and url: locations can be read`,
    );
  }

  /** Memoizes a promise for the TTL; a failure is not kept, so it is retried. */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttl <= 0) return load();
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    for (const [k, v] of this.cache) {
      if (v.expires <= now) this.cache.delete(k);
    }
    const value = load();
    this.cache.set(key, { expires: now + this.ttl, value });
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    return value;
  }
}

function normalizeRef(templateRef: string): string {
  const ref = normalizeTemplateRef(templateRef);
  if (!ref) {
    throw new InputError(`templateRef '${templateRef}' is not an entity ref`);
  }
  if (!ref.startsWith('template:')) {
    throw new InputError(`templateRef '${templateRef}' is not a Template`);
  }
  return ref;
}

/**
 * The catalog's entity as its template.yaml said it: without what the catalog adds
 * (uid, etag, relations, status), which a dry run does not need.
 */
function asTemplate(entity: Entity): TemplateEntityV1beta3 {
  const { uid, etag, ...metadata } = entity.metadata;
  return {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata,
    spec: entity.spec,
  } as TemplateEntityV1beta3;
}

async function parseTemplateYaml(
  text: string,
  file: string,
): Promise<TemplateEntityV1beta3> {
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(
        `${file} is not valid YAML: ${document.errors[0].message}`,
      );
    }
  }
  const entity = documents
    .map(d => d.toJS())
    .find(value => value?.kind === 'Template');
  let valid = false;
  let why = '';
  try {
    valid =
      Boolean(entity) && (await templateEntityV1beta3Validator.check(entity));
  } catch (error) {
    why = `: ${(error as Error).message}`;
  }
  if (!valid) {
    throw new Error(
      `${file} is not a scaffolder.backstage.io/v1beta3 Template${why}`,
    );
  }
  return entity as TemplateEntityV1beta3;
}
