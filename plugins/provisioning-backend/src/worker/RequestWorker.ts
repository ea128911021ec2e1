import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { OperationQueue } from '../database/OperationQueue';
import { ResourceTypeRegistry } from '../service/ResourceTypeRegistry';
import { RequestNotifier } from '../notifications/RequestNotifier';
import { OperationRunner } from './OperationRunner';
import { WorkerOptions } from './WorkerOptions';
import { RequestLookup } from '@paved/plugin-provisioning-node';

/**
 * Claims due operations with a lease and runs them, up to `concurrency` at a time.
 * Any number of workers (backend replicas) may share one database: the claim is a
 * compare-and-set, so each operation runs on one worker at a time, and work whose
 * worker died is resumed by another once the lease expires.
 */
export class RequestWorker {
  private readonly runner: OperationRunner;
  private readonly running = new Set<Promise<void>>();
  private shutdown = new AbortController();
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly deps: {
      queue: OperationQueue;
      registry: ResourceTypeRegistry;
      logger: LoggerService;
      options: WorkerOptions;
      notifier?: RequestNotifier;
      /** Other requests, for steps that depend on them; none are found if absent. */
      requests?: RequestLookup;
    },
  ) {
    this.runner = new OperationRunner(deps);
  }

  get workerId(): string {
    return this.deps.options.workerId;
  }

  /** Polls for due work until {@link RequestWorker.stop}. */
  start(): void {
    if (this.loop) {
      return;
    }
    this.shutdown = new AbortController();
    this.loop = this.poll();
  }

  /**
   * Stops claiming, aborts running steps, and waits (up to the grace period) for
   * them to give their operations back to the queue.
   */
  async stop(): Promise<void> {
    this.shutdown.abort(new Error('The provisioning worker is shutting down'));
    this.wake();
    await this.loop;
    this.loop = undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.running),
      new Promise(resolve => {
        timer = setTimeout(resolve, this.deps.options.shutdownGraceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Looks for work now instead of at the next poll, e.g. after a request was made. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Claims what is due (as many as there are free slots) and starts it; returns the
   * started runs. Tests await them to step the worker deterministically.
   */
  async claimDue(): Promise<Promise<void>[]> {
    const { queue, options, logger } = this.deps;
    const free = options.concurrency - this.running.size;
    if (free <= 0 || this.shutdown.signal.aborted) {
      return [];
    }
    const started: Promise<void>[] = [];
    for (const id of await queue.findDue(free)) {
      const claimed = await queue.claim(id, options.workerId, options.leaseMs);
      if (!claimed) {
        continue; // another worker was faster
      }
      const run = this.runner
        .run(claimed, this.shutdown.signal)
        .catch(error =>
          logger.error(
            `Operation ${id} crashed the worker's run: ${stringifyError(
              error,
            )}`,
          ),
        )
        .finally(() => {
          this.running.delete(run);
          this.wake();
        });
      this.running.add(run);
      started.push(run);
    }
    return started;
  }

  /** Claims and runs what is due, and waits until those runs end. */
  async runOnce(): Promise<number> {
    const started = await this.claimDue();
    await Promise.all(started);
    return started.length;
  }

  private async poll(): Promise<void> {
    const { signal } = this.shutdown;
    while (!signal.aborted) {
      const wake = new Promise<void>(resolve => {
        this.wakeUp = resolve;
      });
      try {
        await this.claimDue();
      } catch (error) {
        this.deps.logger.warn(
          `Could not claim provisioning work: ${stringifyError(error)}`,
        );
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        wake,
        new Promise(resolve => {
          timer = setTimeout(resolve, this.deps.options.pollIntervalMs);
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
