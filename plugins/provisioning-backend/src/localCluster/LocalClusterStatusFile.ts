import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { LocalClusterStatus } from '@paved/plugin-provisioning-common';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const statusSchema = z.object({
  state: z.enum(['building', 'starting', 'ready', 'failed', 'off']),
  startedAt: z.iso.datetime().optional(),
  lastBuildSeconds: z.number().int().nonnegative().optional(),
  step: z.string().optional(),
  message: z.string().optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The local cluster's status as `./paved start` writes it to the file named by
 * `paved.localCluster.statusFile`, read anew on each call: the script moves it on
 * while the portal runs (building, starting, ready). Without that key (production),
 * there is no local cluster: the state is `off`.
 */
export class LocalClusterStatusFile {
  static fromConfig(config: RootConfigService, logger: LoggerService) {
    return new LocalClusterStatusFile(
      config.getOptionalString('paved.localCluster.statusFile'),
      logger,
    );
  }

  constructor(
    private readonly path: string | undefined,
    private readonly logger: LoggerService,
  ) {}

  async read(): Promise<LocalClusterStatus> {
    if (!this.path) {
      return { state: 'off' };
    }
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { state: 'off' };
      }
      return this.unreadable(String(error));
    }
    const parsed = statusSchema.safeParse(parseJson(text));
    return parsed.success
      ? parsed.data
      : this.unreadable(z.prettifyError(parsed.error));
  }

  // The script writes the file, never a user: the portal's pages say where to look
  // rather than the API failing.
  private unreadable(reason: string): LocalClusterStatus {
    const message = `The local cluster's status file ${this.path} could not be read`;
    this.logger.warn(`${message}: ${reason}`);
    return {
      state: 'failed',
      message: `${message}; see the terminal of ./paved start.`,
    };
  }
}
