/**
 * Score placeholders: `${metadata.name}`, `${resources.db.host}`.
 *
 * The syntax follows the Score reference implementation (score-go's
 * `framework.SubstituteString`, used by score-compose and score-k8s), since the
 * JSON Schema says nothing about it:
 * - `${a.b.c}` is a placeholder whose path is `['a', 'b', 'c']`;
 * - `\.` inside a placeholder is a dot that is part of a name, e.g.
 *   `${metadata.annotations.example\.com/team}` → `['metadata', 'annotations', 'example.com/team']`;
 * - `$$` is an escaped `$`, so `$${x}` is the literal text `${x}` (and `$$HOME` is `$HOME`);
 * - a `${` without a closing `}`, and the empty `${}`, are left as they are.
 */

/** A placeholder found in a text. @public */
export interface FoundPlaceholder {
  /** As written, e.g. `${resources.db.host}`. */
  raw: string;
  /** The names, unescaped, e.g. `['resources', 'db', 'host']`. */
  path: string[];
}

/**
 * What a placeholder resolves to: a plain value, or a key of a Secret (secret
 * outputs never become literal values). Structurally the same as provisioning-node's
 * `ScoreResourceOutput`.
 *
 * @public
 */
export type InterpolatedValue =
  | { value: string | number | boolean }
  | { secretKeyRef: { name: string; key: string } };

/** A piece of an interpolated text: literal text or a Secret's key. @public */
export type InterpolatedPart =
  | { text: string }
  | { secretKeyRef: { name: string; key: string } };

/**
 * Thrown (by a `resolve` callback, or by checks) for a placeholder that names
 * nothing known; `placeholder` is the placeholder as written.
 *
 * @public
 */
export class PlaceholderError extends Error {
  readonly placeholder: string;

  constructor(placeholder: string, message?: string) {
    super(message ?? `unknown placeholder ${placeholder}`);
    this.name = 'PlaceholderError';
    this.placeholder = placeholder;
  }
}

type Token = { text: string } | FoundPlaceholder;

/** Splits a placeholder's body at unescaped dots, unescaping `\.`. */
function splitPath(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && body[i + 1] === '.') {
      current += '.';
      i++;
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * The placeholder for a path, escaping dots inside names: the inverse of parsing,
 * for messages such as "placeholder ${resources.db.host} names …".
 *
 * @public
 */
export function formatPlaceholder(path: string[]): string {
  return `\${${path.map(p => p.replace(/\./g, '\\.')).join('.')}}`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end > i + 2) {
        if (literal) {
          tokens.push({ text: literal });
          literal = '';
        }
        const raw = text.slice(i, end + 1);
        tokens.push({ raw, path: splitPath(text.slice(i + 2, end)) });
        i = end + 1;
        continue;
      }
    }
    literal += c;
    i++;
  }
  if (literal) tokens.push({ text: literal });
  return tokens;
}

/**
 * The placeholders of a text, in order (repeated ones repeated).
 *
 * @public
 */
export function findPlaceholders(text: string): FoundPlaceholder[] {
  return tokenize(text).filter((t): t is FoundPlaceholder => 'raw' in t);
}

/**
 * Replaces the placeholders of a text with what `resolve` answers: plain values
 * become text (merged with the text around them), secret references stay parts of
 * their own. `resolve` throws a `PlaceholderError` for a name it does not know; the
 * error goes through unchanged. Always at least one part (`{ text: '' }` for an
 * empty text).
 *
 * @public
 */
export function interpolate(
  text: string,
  resolve: (path: string[]) => InterpolatedValue,
): InterpolatedPart[] {
  const parts: InterpolatedPart[] = [];
  const pushText = (s: string) => {
    if (!s) return;
    const last = parts[parts.length - 1];
    if (last && 'text' in last) last.text += s;
    else parts.push({ text: s });
  };
  for (const token of tokenize(text)) {
    if ('text' in token) {
      pushText(token.text);
      continue;
    }
    const resolved = resolve(token.path);
    if ('secretKeyRef' in resolved) {
      parts.push({
        secretKeyRef: {
          name: resolved.secretKeyRef.name,
          key: resolved.secretKeyRef.key,
        },
      });
    } else {
      pushText(String(resolved.value));
    }
  }
  return parts.length ? parts : [{ text: '' }];
}

/**
 * The text of interpolated parts, when none is a secret reference; otherwise
 * undefined (the caller must then reference the Secret, not inline it).
 *
 * @public
 */
export function partsToText(parts: InterpolatedPart[]): string | undefined {
  let out = '';
  for (const p of parts) {
    if (!('text' in p)) return undefined;
    out += p.text;
  }
  return out;
}
