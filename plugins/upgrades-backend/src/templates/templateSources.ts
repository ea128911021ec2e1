/*
 * Where a template's files are read from, by its catalog location: a folder on this
 * machine (`file:` locations, e.g. the repository's templates/ in development) or a
 * repository on a host (`url:` locations, read through the UrlReaderService with the
 * integrations' credentials). Paths are relative to the folder of the template.yaml
 * the catalog holds (the current version).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { FileSet } from '../ports';

/** What lives next to the current template.yaml and is not part of a version's files. */
export const VERSIONS_DIR = 'versions';
export const CHANGELOG_FILE = 'CHANGELOG.md';

export interface TemplateSource {
  /** For messages: where the template is. */
  readonly description: string;
  /** A file's text, or undefined when there is no such file. */
  readText(relativePath: string): Promise<string | undefined>;
  /**
   * Every file under a folder (relative to it), or undefined when the folder does
   * not exist. `current` leaves out versions/ and CHANGELOG.md: the current
   * version's folder also holds the older versions and the changelog.
   */
  readFiles(
    relativeDir: string,
    options: { current: boolean },
  ): Promise<FileSet>;
}

function isNotFound(error: unknown): boolean {
  return (
    isError(error) &&
    (error.name === 'NotFoundError' ||
      (error as { code?: string }).code === 'ENOENT')
  );
}

function isVersionsOrChangelog(relativePath: string): boolean {
  return (
    relativePath === CHANGELOG_FILE ||
    relativePath === VERSIONS_DIR ||
    relativePath.startsWith(`${VERSIONS_DIR}/`)
  );
}

/** A template in a folder on this machine. */
export class FileTemplateSource implements TemplateSource {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = root;
  }

  async readText(relativePath: string): Promise<string | undefined> {
    try {
      return await fs.readFile(
        resolveSafeChildPath(this.root, relativePath),
        'utf8',
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async readFiles(
    relativeDir: string,
    options: { current: boolean },
  ): Promise<FileSet> {
    const base = resolveSafeChildPath(this.root, relativeDir || '.');
    const files: FileSet = new Map();
    const walk = async (dir: string, prefix: string) => {
      for (const dirent of await fs.readdir(dir, { withFileTypes: true })) {
        const relative = prefix ? `${prefix}/${dirent.name}` : dirent.name;
        if (options.current && !prefix && isVersionsOrChangelog(relative)) {
          continue;
        }
        const absolute = path.join(dir, dirent.name);
        if (dirent.isDirectory()) {
          await walk(absolute, relative);
        } else if (dirent.isFile()) {
          // The read and the mode from one handle, so a file replaced meanwhile
          // cannot pair one version's content with another's mode.
          const handle = await fs.open(absolute, 'r');
          try {
            const [content, stat] = await Promise.all([
              handle.readFile(),
              handle.stat(),
            ]);
            files.set(relative, {
              content,
              // eslint-disable-next-line no-bitwise
              ...((stat.mode & 0o111) !== 0 ? { executable: true } : {}),
            });
          } finally {
            await handle.close();
          }
        }
        // Symbolic links are left out: the scaffolder's dry run cannot take them,
        // and one could point outside the template.
      }
    };
    await walk(base, '');
    return files;
  }
}

/** A template on a repository host, read with the integrations' credentials. */
export class UrlTemplateSource implements TemplateSource {
  readonly description: string;

  /** @param templateUrl the URL of the current version's template.yaml */
  constructor(
    private readonly reader: UrlReaderService,
    private readonly templateUrl: string,
  ) {
    this.description = templateUrl;
  }

  private resolve(relativePath: string): string {
    // Relative to the template.yaml's folder, like the scaffolder resolves ./skeleton.
    const url = new URL(relativePath || '.', this.templateUrl).toString();
    return url.endsWith('/') ? url.slice(0, -1) : url;
  }

  async readText(relativePath: string): Promise<string | undefined> {
    try {
      const response = await this.reader.readUrl(this.resolve(relativePath));
      return (await response.buffer()).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async readFiles(
    relativeDir: string,
    options: { current: boolean },
  ): Promise<FileSet> {
    const tree = await this.reader.readTree(this.resolve(relativeDir), {
      filter: options.current
        ? filePath => !isVersionsOrChangelog(filePath)
        : undefined,
    });
    const files: FileSet = new Map();
    for (const file of await tree.files()) {
      // Hosts' archives do not carry the mode through readTree: no executable bit.
      files.set(file.path.replace(/^\.?\//, ''), {
        content: await file.content(),
      });
    }
    return files;
  }
}
