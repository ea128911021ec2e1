/**
 * What runbooks read of a scaffolder task (`GET /api/scaffolder/v2/tasks`).
 *
 * @public
 */
export interface ScaffolderTaskSummary {
  id: string;
  status: string;
  createdAt: string;
  lastHeartbeatAt?: string;
  createdBy?: string;
  spec: {
    parameters?: Record<string, unknown>;
    templateInfo?: { entityRef?: string };
  };
}

/** A run that has not ended: waiting for a worker (`open`) or running. @public */
export const RUNNING = new Set(['open', 'processing']);

/** The task's template ref, e.g. `template:default/restart-deployment`. @public */
export function templateRefOf(task: ScaffolderTaskSummary): string | undefined {
  return task.spec?.templateInfo?.entityRef;
}

/**
 * Whether run `a` started before run `b`: by creation time, then (the scaffolder
 * stores some times to the second) by task id, so that both runs agree.
 *
 * @public
 */
export function startedBefore(
  a: { id: string; createdAt: string },
  b: { id: string; createdAt: string },
): boolean {
  const x = Date.parse(a.createdAt);
  const y = Date.parse(b.createdAt);
  return x < y || (x === y && a.id < b.id);
}

/**
 * The unfinished (`open` or `processing`) runs of `templateRef` on `entityRef` (and
 * `target`, when both name one, e.g. the deployment) other than `selfId`, oldest
 * first.
 *
 * @public
 */
export function concurrentRuns(
  tasks: ScaffolderTaskSummary[],
  options: {
    templateRef: string;
    entityRef: string;
    target?: string;
    selfId?: string;
  },
): ScaffolderTaskSummary[] {
  const { templateRef, entityRef, target, selfId } = options;
  return tasks
    .filter(task => {
      const other = targetOf(task);
      return (
        RUNNING.has(task.status) &&
        task.id !== selfId &&
        templateRefOf(task) === templateRef &&
        task.spec.parameters?.entityRef === entityRef &&
        (target === undefined || other === undefined || other === target)
      );
    })
    .sort((a, b) => (startedBefore(a, b) ? -1 : 1));
}

/**
 * The run of `templateRef` on `entityRef` that a new run must wait for: the oldest
 * unfinished one.
 *
 * @public
 */
export function findConcurrentRun(
  tasks: ScaffolderTaskSummary[],
  options: { templateRef: string; entityRef: string; target?: string },
): ScaffolderTaskSummary | undefined {
  return concurrentRuns(tasks, options)[0];
}

/** The run's target within the entity (e.g. a deployment), if its form has one. @public */
export function targetOf(task: ScaffolderTaskSummary): string | undefined {
  const parameters = task.spec.parameters ?? {};
  for (const key of ['target', 'deployment', 'database', 'environment']) {
    if (typeof parameters[key] === 'string' && parameters[key] !== '') {
      return parameters[key] as string;
    }
  }
  return undefined;
}
