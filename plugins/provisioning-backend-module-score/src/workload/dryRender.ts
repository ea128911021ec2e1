import { ScoreWorkload } from '@paved/plugin-deployments-common';
import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';
import { RenderError, renderWorkload, WorkloadDefaults } from '../render';

/**
 * The plain value every resource output stands for in a dry render. It is a valid
 * host name (so that `host: ${resources.dns.host}` renders) and appears in the
 * message of any refusal that is about it.
 */
const STAND_IN = 'paved-stand-in';

/**
 * Outputs in which any name resolves to the stand-in: the real outputs exist only
 * once the resources are made, at deploy time. A Proxy, because the names a
 * workload's placeholders use are whatever its resources' types define.
 */
const anyOutput: Record<string, ScoreResourceOutput> = new Proxy(
  {},
  {
    get: (_target, key) =>
      typeof key === 'string' ? { value: STAND_IN } : undefined,
  },
);

/**
 * Why the workload could not be rendered, found before anything is stored or
 * queued: the workload is rendered once with stand-in outputs for its resources,
 * so that what the renderer refuses (volumes, files from `source`, a bad file
 * mode, port names Kubernetes refuses, a route's host or port, quantities, a
 * request above its limit, names) is a 400 rather than a failed deployment.
 * Refusals about a stand-in value (e.g. a route port taken from an output) are
 * left to the real render at deploy time, as are missing outputs and secrets.
 */
export function renderProblem(
  workload: ScoreWorkload,
  options: { image?: string; defaults: WorkloadDefaults },
): RenderError | undefined {
  try {
    renderWorkload({
      workload,
      namespace: STAND_IN,
      environment: STAND_IN,
      requestId: STAND_IN,
      ...(options.image ? { image: options.image } : {}),
      resources: Object.fromEntries(
        Object.keys(workload.resources ?? {}).map(name => [name, anyOutput]),
      ),
      defaults: options.defaults,
    });
    return undefined;
  } catch (error) {
    // Anything else is the deploy-time render's to report.
    return error instanceof RenderError && !error.message.includes(STAND_IN)
      ? error
      : undefined;
  }
}
