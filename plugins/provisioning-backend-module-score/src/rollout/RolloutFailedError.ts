/**
 * A rollout that will not complete without a change: the Deployment cannot create
 * pods (e.g. a quota), made no progress within its deadline, or its pods crash or
 * cannot pull their image; or it did not finish in time. The message lists the
 * reasons Kubernetes gives.
 *
 * @public
 */
export class RolloutFailedError extends Error {
  readonly reasons: string[];

  constructor(deployment: string, reasons: string[]) {
    super(
      `The rollout of Deployment '${deployment}' failed: ${reasons.join('; ')}`,
    );
    this.name = 'RolloutFailedError';
    this.reasons = reasons;
  }
}
