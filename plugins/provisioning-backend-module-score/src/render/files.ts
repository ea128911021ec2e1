import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import {
  ScoreContainer,
  ScoreContainerFile,
} from '@paved/plugin-deployments-common';
import { RenderError } from './RenderError';
import { Resolver, interpolateAt } from './placeholders';

/** The name of the pod volume that holds the workload's ConfigMap of files. */
export const FILES_VOLUME = 'files';

/** What the files of the workload's containers render to. */
export interface RenderedFiles {
  /** Text files (ConfigMap `data`) and binary ones (`binaryData`, base64), by key. */
  data: Record<string, string>;
  binaryData: Record<string, string>;
  /** The ConfigMap volume's items: each key at its own path, with its mode. */
  items: Array<{ key: string; path: string; mode?: number }>;
  /** Mounts per container name. */
  mounts: Record<
    string,
    Array<{ name: string; mountPath: string; subPath: string; readOnly: true }>
  >;
}

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Both forms of `files` (a map by target, and the deprecated array), in order. */
function filesOf(
  container: ScoreContainer,
): Array<[string | undefined, ScoreContainerFile]> {
  const files = container.files;
  if (!files) {
    return [];
  }
  return Array.isArray(files)
    ? files.map(file => [file.target, file])
    : Object.entries(files);
}

/** A ConfigMap key: readable, and unique per container and target. */
function keyOf(container: string, target: string): string {
  const base = posix
    .basename(target)
    .replace(/[^-._a-zA-Z0-9]/g, '-')
    .slice(0, 60);
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 8);
  return `${container}-${base}-${hash}`;
}

function contentOf(
  path: string,
  file: ScoreContainerFile,
  resolve: Resolver,
): { text: string } | { binary: string } {
  if (file.binaryContent !== undefined) {
    if (!BASE64.test(file.binaryContent.replace(/\s+/g, ''))) {
      throw new RenderError(`${path}.binaryContent`, 'is not valid base64');
    }
    return { binary: file.binaryContent.replace(/\s+/g, '') };
  }
  if (file.source !== undefined) {
    throw new RenderError(
      `${path}.source`,
      "files from 'source' are not supported: the workload is rendered without the repository's files; inline the file as 'content'",
    );
  }
  if (file.content === undefined) {
    throw new RenderError(path, "needs 'content' or 'binaryContent'");
  }
  if (file.noExpand) {
    return { text: file.content };
  }
  let text = '';
  for (const part of interpolateAt(`${path}.content`, file.content, resolve)) {
    if (!('text' in part)) {
      throw new RenderError(
        `${path}.content`,
        `a secret output (key '${part.secretKeyRef.key}' of Secret '${part.secretKeyRef.name}') cannot be written into a file: files are ConfigMaps, readable by everyone with access to the namespace; pass the secret as a variable instead`,
      );
    }
    text += part.text;
  }
  return { text };
}

/**
 * The files of every container, for one ConfigMap of the workload mounted file by
 * file (`subPath`), so that a file never hides the rest of its directory.
 */
export function renderFiles(
  containers: Record<string, ScoreContainer>,
  resolve: Resolver,
): RenderedFiles {
  const out: RenderedFiles = {
    data: {},
    binaryData: {},
    items: [],
    mounts: {},
  };
  for (const [containerName, container] of Object.entries(containers)) {
    filesOf(container).forEach(([target, file], index) => {
      const path = `containers.${containerName}.files[${index}]`;
      if (!target || !target.startsWith('/')) {
        throw new RenderError(
          Array.isArray(container.files) ? `${path}.target` : path,
          `the target '${target ?? ''}' must be an absolute path`,
        );
      }
      let mode: number | undefined;
      if (file.mode !== undefined) {
        if (!/^0?[0-7]{3,4}$/.test(file.mode)) {
          throw new RenderError(
            `${path}.mode`,
            `'${file.mode}' is not an octal file mode such as 0644`,
          );
        }
        mode = parseInt(file.mode, 8);
      }
      const key = keyOf(containerName, target);
      const content = contentOf(path, file, resolve);
      if ('text' in content) {
        out.data[key] = content.text;
      } else {
        out.binaryData[key] = content.binary;
      }
      out.items.push({
        key,
        path: key,
        ...(mode !== undefined ? { mode } : {}),
      });
      (out.mounts[containerName] ??= []).push({
        name: FILES_VOLUME,
        mountPath: target,
        subPath: key,
        readOnly: true,
      });
    });
  }
  return out;
}
