import { Entity } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  parseReferenceAnnotation,
  PreparerBase,
  PreparerOptions,
  PreparerResponse,
  transformDirLocation,
} from '@backstage/plugin-techdocs-node';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const CONFIG_FILES = ['mkdocs.yml', 'mkdocs.yaml'];
const README_FILES = ['README.md', 'readme.md'];

/**
 * The TechDocs preparer for `dir:` references to a folder on the backend's disk
 * (entities read from `file` locations, such as the portal's own `dir:.` docs).
 *
 * Backstage's own one hands the folder itself to the generator, which then walks all
 * of it (a recursive readdir that refuses symlinks leading out) and patches its
 * mkdocs.yml in place; and it gives no etag, so every sync rebuilds. For a docs root
 * that is a repository root, as the portal's is (mkdocs.yml beside node_modules, and
 * `.paved/` in a clone), that walk reads hundreds of thousands of entries at every
 * prebuild. This one copies only what mkdocs reads into a temporary folder: the mkdocs
 * config, its docs_dir (default `docs`), the theme's custom_dir and a root README (the
 * generator's fallback index page); and it answers "not modified" when their contents
 * hash to the etag of the published build, so an unchanged site is not rebuilt.
 * Files that a config reaches outside those (INHERIT, snippet paths) are not staged.
 *
 * `dir:` references of entities read from a `url` location are the stock preparer's.
 */
export class StagedDirectoryPreparer implements PreparerBase {
  constructor(
    private readonly options: {
      /** The stock directory preparer, for `dir:` references that resolve to a URL. */
      fallback: PreparerBase;
      integrations: ScmIntegrationRegistry;
      /** Where the staged folders go; default the OS temporary folder. */
      workingDirectory?: string;
    },
  ) {}

  shouldCleanPreparedDirectory() {
    // Both a staged folder and a tree read from a URL are temporary copies.
    return true;
  }

  async prepare(
    entity: Entity,
    options?: PreparerOptions,
  ): Promise<PreparerResponse> {
    const annotation = parseReferenceAnnotation(
      'backstage.io/techdocs-ref',
      entity,
    );
    const { type, target } = transformDirLocation(
      entity,
      annotation,
      this.options.integrations,
    );
    if (type !== 'dir') {
      return this.options.fallback.prepare(entity, options);
    }
    const files = await docsFiles(target);
    const etag = await hashFiles(target, files);
    if (options?.etag && options.etag === etag) {
      // The name the techdocs backend's builder checks: the published site is current.
      const error = new Error(`TechDocs in ${target} are unchanged`);
      error.name = 'NotModifiedError';
      throw error;
    }
    const staged = await fs.mkdtemp(
      path.join(
        this.options.workingDirectory ?? os.tmpdir(),
        'paved-techdocs-dir-',
      ),
    );
    try {
      for (const file of files) {
        await fs.mkdir(path.dirname(path.join(staged, file)), {
          recursive: true,
        });
        await fs.cp(path.join(target, file), path.join(staged, file), {
          verbatimSymlinks: true,
        });
      }
    } catch (error) {
      await fs.rm(staged, { recursive: true, force: true });
      throw error;
    }
    options?.logger?.debug(
      `Staged ${files.length} docs files of ${target} in ${staged}`,
    );
    return { preparedDir: staged, etag };
  }
}

/**
 * What mkdocs reads in `root`, as paths relative to it (sorted): the config files, and
 * every file under docs_dir and theme.custom_dir, and a root README.
 */
export async function docsFiles(root: string): Promise<string[]> {
  const out = new Set<string>();
  let config = '';
  for (const name of CONFIG_FILES) {
    const text = await fs
      .readFile(path.join(root, name), 'utf8')
      .catch(() => undefined);
    if (text !== undefined) {
      out.add(name);
      config ||= text;
    }
  }
  for (const name of README_FILES) {
    if (await isFile(path.join(root, name))) out.add(name);
  }
  // A line match, not a YAML parse: mkdocs configs carry Python tags
  // (!!python/name:...) that a plain parser refuses, and the generator validates the
  // config itself (docs_dir outside the root is refused there).
  const dirs = [topLevelKey(config, 'docs_dir') ?? 'docs'];
  const customDir = /^\s+custom_dir:\s*['"]?([^'"#\s]+)/m.exec(config)?.[1];
  if (customDir) dirs.push(customDir);
  for (const dir of dirs) {
    const absolute = path.resolve(root, dir);
    if (!isInside(root, absolute)) continue;
    for (const file of await filesUnder(absolute)) {
      out.add(path.relative(root, file));
    }
  }
  return [...out].sort();
}

function topLevelKey(config: string, key: string): string | undefined {
  return new RegExp(`^${key}:\\s*['"]?([^'"#\\s]+)`, 'm').exec(config)?.[1];
}

function isInside(root: string, candidate: string) {
  const relative = path.relative(root, candidate);
  return (
    relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
  );
}

async function isFile(file: string) {
  return (await fs.lstat(file).catch(() => undefined))?.isFile() ?? false;
}

/** Files and symlinks under `dir` (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs
    .readdir(dir, { recursive: true, withFileTypes: true })
    .catch(() => []);
  return entries
    .filter(e => !e.isDirectory())
    .map(e => path.join(e.parentPath, e.name));
}

/** One hash of the files' names and contents (a symlink counts by its target text). */
async function hashFiles(root: string, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const absolute = path.join(root, file);
    const stat = await fs.lstat(absolute);
    hash.update(`${file}\0`);
    hash.update(
      stat.isSymbolicLink()
        ? `-> ${await fs.readlink(absolute)}`
        : await fs.readFile(absolute),
    );
    hash.update('\0');
  }
  return `paved-dir-${hash.digest('hex').slice(0, 32)}`;
}
