import fs from 'node:fs';
import { parseDocument, isMap, isScalar, isSeq, Node } from 'yaml';

/*
 * Backstage's config loader turns `${NAME}` with NAME unset into a missing value, with no
 * word about NAME: a deployment without BACKEND_SECRET fails later on a config path, and
 * one without POSTGRES_HOST even tries a Postgres on localhost. In production the backend
 * therefore checks, before anything starts, that every `${NAME}` without a `:-` default in
 * the --config files it was given is set, and otherwise exits naming each one.
 */

export interface MissingVariable {
  name: string;
  file: string;
  /** Where in the file, e.g. backend.auth.keys[0].secret */
  at: string;
}

// `${NAME}` but not `$${NAME}` (an escaped literal) nor `${NAME:-default}`.
const REFERENCE = /(\$?)\$\{\s*([^{}:\s]+)\s*(:-[^{}]*)?\}/g;

/** The --config files of a command line (`--config x`, `--config=x`, `-c x`). */
export function configFiles(argv: string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((arg === '--config' || arg === '-c') && i + 1 < argv.length) {
      files.push(argv[++i]);
    } else if (arg.startsWith('--config=')) {
      files.push(arg.slice('--config='.length));
    }
  }
  return files;
}

/** The variables the config files need (no default) that `env` lacks or has empty. */
export function missingVariables(
  files: string[],
  env: NodeJS.ProcessEnv,
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  const visit = (node: Node | null | undefined, at: string, file: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        visit(pair.value as Node, at ? `${at}.${key}` : key, file);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node, `${at}[${i}]`, file));
    } else if (isScalar(node) && typeof node.value === 'string') {
      for (const [, escaped, name, fallback] of node.value.matchAll(
        REFERENCE,
      )) {
        if (!escaped && fallback === undefined && !env[name]) {
          missing.push({ name, file, at });
        }
      }
    }
  };
  for (const file of files) {
    // Comments (such as the commented-out examples) are not values, so they need nothing.
    visit(parseDocument(fs.readFileSync(file, 'utf8')).contents, '', file);
  }
  return missing;
}

/**
 * In production (NODE_ENV=production, as the image sets it) exits with code 1 and a
 * message naming every missing variable; elsewhere does nothing, so a local
 * app-config.local.yaml may keep optional `${...}` values.
 */
export function exitOnMissingVariables(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
) {
  if (env.NODE_ENV !== 'production') {
    return;
  }
  const missing = missingVariables(configFiles(argv), env);
  if (missing.length === 0) {
    return;
  }
  const lines = missing.map(m => `  ${m.name} (for ${m.at} in ${m.file})`);
  process.stderr.write(
    `Paved cannot start: these environment variables are not set:\n${lines.join(
      '\n',
    )}\nSet them (docs/running.md lists them all) or give the value a default.\n`,
  );
  process.exit(1);
}
