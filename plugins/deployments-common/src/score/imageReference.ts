/**
 * OCI image references, `[registry/]path[:tag][@digest]`, after the grammar of
 * distribution/reference (the one Docker, containerd and Kubernetes use):
 * - registry: DNS labels joined by `.`, or `localhost`, or `[IPv6]`, optionally `:port`;
 * - path: lower-case components `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`,
 *   separated by `/`;
 * - tag: a word character then up to 127 of `[\w.-]`;
 * - digest: `algorithm:hex` with at least 32 hex digits.
 * Whether the first component is a registry is ambiguous in the grammar
 * (`localhost:4000/app` vs `app:4000`); for checking validity either reading will do.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/**
 * Matches a whole image reference; group 1 is the name (registry and path), group 2
 * the tag, group 3 the digest.
 *
 * @public
 */
export const IMAGE_REFERENCE_PATTERN = new RegExp(
  `^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/** Names longer than this are refused by registries (distribution/reference). */
const MAX_NAME_LENGTH = 255;

/**
 * Whether `image` is a valid OCI image reference, e.g. `nginx`,
 * `ghcr.io/acme/orders:1.4.2`, `localhost:5000/app@sha256:…`.
 *
 * @public
 */
export function isImageReference(image: string): boolean {
  const match = IMAGE_REFERENCE_PATTERN.exec(image);
  return !!match && match[1].length <= MAX_NAME_LENGTH;
}
