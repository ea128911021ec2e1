import {
  ProvisioningRequestDetails,
  RequestState,
  teamNamespace,
} from '@paved/plugin-provisioning-common';
import { requireTestPostgres, waitFor } from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackendProcess } from '../BackendProcess';
import { RabbitmqServer, S3Server } from '../config';

/**
 * The test run's PostgreSQL server as a superuser URL without a database; throws
 * (the test fails, never skips) when there is none.
 */
export function requirePostgresUrl(): string {
  const { host, port, user, password } = requireTestPostgres();
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(
    password,
  )}@${host}:${port}`;
}

/** What a fault test files: a request of `type` with `parameters`. */
export interface RequestSpec {
  type: string;
  parameters: object;
}

/**
 * One fault test file's run: a prefix for its names (so that runs sharing servers
 * never meet), an owner, a temporary folder for logs, the backend processes it
 * started, and the calls its tests make through them.
 */
export class ChaosRun {
  /** Prefix of this run's names. */
  readonly id = `c${randomBytes(3).toString('hex')}`;
  readonly owner = `group:default/${this.id}-team`;
  /** The owner's namespace, where Secrets go. */
  readonly namespace = teamNamespace(this.owner);
  readonly tmp = fs.mkdtempSync(
    path.join(os.tmpdir(), `paved-chaos-${this.id}-`),
  );
  private readonly backends: BackendProcess[] = [];
  private counter = 0;

  constructor(
    private readonly defaults: {
      /** The server of the backends' own databases (and default target), without a database. */
      pgUrl: string;
      /** The portal's kubeconfig, which backends write Secrets with. */
      kubeconfig: string;
    },
  ) {}

  /** Starts a backend process labelled `label` (its log is `<tmp>/<label>.log`). */
  async start(
    label: string,
    options: {
      targetUrl?: string;
      prefix?: string;
      kubeconfig?: string;
      worker?: object;
      rabbitmq?: RabbitmqServer;
      s3?: S3Server;
      /** With the environment and workload (Score) types. */
      score?: boolean;
    } = {},
  ): Promise<BackendProcess> {
    const json = (value?: object) => value && JSON.stringify(value);
    const backend = await BackendProcess.start({
      logFile: path.join(this.tmp, `${label}.log`),
      PAVED_CHAOS_DATABASE_URL: this.defaults.pgUrl,
      PAVED_CHAOS_DATABASE_PREFIX: options.prefix ?? `${this.id}_${label}_`,
      PAVED_CHAOS_TARGET_URL: options.targetUrl ?? this.defaults.pgUrl,
      PAVED_CHAOS_KUBECONFIG: options.kubeconfig ?? this.defaults.kubeconfig,
      PAVED_CHAOS_WORKER: json(options.worker),
      PAVED_CHAOS_RABBITMQ: json(options.rabbitmq),
      PAVED_CHAOS_S3: json(options.s3),
      PAVED_CHAOS_SCORE: options.score ? '1' : undefined,
    });
    this.backends.push(backend);
    return backend;
  }

  /**
   * Files one request per spec, round robin over `via`, all at once, each with a new
   * name of this run; resolves to their ids in the same order.
   */
  file(specs: RequestSpec[], ...via: BackendProcess[]): Promise<string[]> {
    return Promise.all(
      specs.map(async (spec, i) => {
        const { id } = await via[i % via.length].api('POST', '/requests', {
          type: spec.type,
          name: `${this.id}-r${++this.counter}`,
          owner: this.owner,
          parameters: spec.parameters,
        });
        return id as string;
      }),
    );
  }

  details(
    backend: BackendProcess,
    ids: string[],
  ): Promise<ProvisioningRequestDetails[]> {
    return Promise.all(
      ids.map(id =>
        backend.api<ProvisioningRequestDetails>('GET', `/requests/${id}`),
      ),
    );
  }

  /** Waits until every request is in one of `states` (ready or failed), and returns them. */
  settle(
    backend: BackendProcess,
    ids: string[],
    options: { timeoutMs?: number; states?: RequestState[] } = {},
  ): Promise<ProvisioningRequestDetails[]> {
    const { timeoutMs = 60_000, states = ['ready', 'failed'] } = options;
    return waitFor(
      `${ids.length} requests to end ${states.join(' or ')}`,
      async () => {
        const all = await this.details(backend, ids);
        return all.every(r => states.includes(r.state)) ? all : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  }

  /** Stops every backend it started. */
  async stopBackends(): Promise<void> {
    await Promise.all(this.backends.map(b => b.stop().catch(() => undefined)));
  }

  /** Deletes the temporary folder (stop what keeps data there first). */
  removeTmp(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}
