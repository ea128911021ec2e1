import { InputError } from '@backstage/errors';
import type { RequestHandler } from 'express';

const NUL = '\u0000';

/** Where in `value` a string (or an object key) holds a NUL character, if anywhere. */
function nulAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return value.includes(NUL) ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulAt(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (key.includes(NUL)) return at;
      const found = nulAt(child, at);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses a request with a NUL character (U+0000) anywhere in its path, query or
 * JSON body, with a 400 naming where (`body.summary`, `query.owner`, `path`).
 *
 * PostgreSQL can neither store nor compare text that holds one (`invalid byte
 * sequence for encoding "UTF8": 0x00`), so such input is otherwise a 500 on
 * Postgres while SQLite takes it. Mount it in a plugin's router after the body
 * parser: `router.use(express.json(), refuseNulCharacters())`.
 *
 * @public
 */
export function refuseNulCharacters(): RequestHandler {
  return (req, _res, next) => {
    let path = req.path;
    try {
      path = decodeURIComponent(path);
    } catch {
      // Not valid percent-encoding: express answers that with a 400 itself.
    }
    const at = path.includes(NUL)
      ? 'path'
      : nulAt(req.query, 'query') ?? nulAt(req.body, 'body');
    next(
      at
        ? new InputError(
            `Invalid input: ${at}: must not contain the NUL character (U+0000)`,
          )
        : undefined,
    );
  };
}
