import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The annotation GitHub's plugins use to name a component's repository. */
const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * `owner/name` of a repository given as `owner/name` or as a URL
 * (`https://github.com/acme/orders`, `git@github.com:acme/orders.git`).
 */
export function repositorySlug(repository: string): string {
  const trimmed = repository
    .trim()
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  const match =
    /^(?:[a-z+]+:\/\/[^/]+\/|[^@\s]+@[^:\s]+:)?([^/\s]+\/[^/\s]+)$/i.exec(
      trimmed,
    );
  if (!match) {
    throw new InputError(
      `Invalid request: repository: '${repository}' is neither owner/name nor a repository URL`,
    );
  }
  return match[1].toLocaleLowerCase('en-US');
}

function locationMentions(location: string | undefined, slug: string) {
  if (!location) {
    return false;
  }
  const lower = location.toLocaleLowerCase('en-US');
  return (
    [`/${slug}/`, `/${slug}.git`, `:${slug}/`, `:${slug}.git`].some(needle =>
      lower.includes(needle),
    ) ||
    lower.endsWith(`/${slug}`) ||
    lower.endsWith(`:${slug}`)
  );
}

/**
 * The component built from `repository`: the one whose `github.com/project-slug`
 * is it, else the one whose source or managed-by location points into it. Read with
 * the caller's credentials, so a caller sees only what it may read.
 */
export async function findComponent(
  catalog: CatalogService,
  repository: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const slug = repositorySlug(repository);
  const bySlug = await catalog.getEntities(
    {
      filter: {
        kind: 'component',
        [`metadata.annotations.${PROJECT_SLUG_ANNOTATION}`]: slug,
      },
    },
    { credentials },
  );
  if (bySlug.items.length) {
    return bySlug.items[0];
  }
  // Annotation values are matched exactly by the catalog, and slugs are often
  // spelled with capitals: compare the rest here.
  const components = await catalog.getEntities(
    {
      filter: { kind: 'component' },
      fields: ['kind', 'metadata', 'spec.owner'],
    },
    { credentials },
  );
  const found = components.items.find(entity => {
    const annotations = entity.metadata.annotations ?? {};
    return (
      annotations[PROJECT_SLUG_ANNOTATION]?.toLocaleLowerCase('en-US') ===
        slug ||
      locationMentions(annotations[ANNOTATION_SOURCE_LOCATION], slug) ||
      locationMentions(annotations[ANNOTATION_LOCATION], slug)
    );
  });
  if (!found) {
    throw new NotFoundError(
      `repository: no component of the catalog is built from '${slug}' (by its ${PROJECT_SLUG_ANNOTATION}, source-location or managed-by-location annotation)`,
    );
  }
  return found;
}
