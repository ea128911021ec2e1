import { createHash } from 'node:crypto';

/** The longest type id: ids are shown in URLs and stored on every request. */
export const MAX_TYPE_ID_LENGTH = 63;

const PREFIX = 'xr-';
/** The hash that keeps a shortened id unique: 8 hex digits of the XRD's name. */
const HASH_LENGTH = 8;

/**
 * The resource type id of the XRD named `<plural>.<group>`: `xr-` and the name with
 * dots (and runs of other characters than lowercase letters and digits) as single
 * dashes, e.g. `xbuckets.storage.example.org` → `xr-xbuckets-storage-example-org`.
 * Longer than 63 characters, it is cut to 54 and ends with `-` and 8 hex digits of
 * the SHA-256 of the XRD's name, so that it stays stable and unique.
 *
 * @public
 */
export function typeIdOf(xrdName: string): string {
  const body = xrdName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const id = `${PREFIX}${body}`;
  if (id.length <= MAX_TYPE_ID_LENGTH) {
    return id;
  }
  const hash = createHash('sha256')
    .update(xrdName)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const kept = id
    .slice(0, MAX_TYPE_ID_LENGTH - HASH_LENGTH - 1)
    .replace(/-+$/, '');
  return `${kept}-${hash}`;
}
