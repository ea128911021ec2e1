import { ScoreProbe } from '@paved/plugin-deployments-common';
import { RenderError } from './RenderError';

/** A Kubernetes probe's handler (timings are Kubernetes' defaults). */
export type Probe =
  | {
      httpGet: {
        path: string;
        port: number;
        host?: string;
        scheme?: string;
        httpHeaders?: Array<{ name: string; value: string }>;
      };
    }
  | { exec: { command: string[] } };

/**
 * A Score probe as a Kubernetes one. Kubernetes takes one handler per probe; with
 * both given, `httpGet` wins, as in score-k8s.
 */
export function renderProbe(path: string, probe: ScoreProbe): Probe {
  if (probe.httpGet) {
    const { path: httpPath, port, host, scheme, httpHeaders } = probe.httpGet;
    return {
      httpGet: {
        path: httpPath,
        port,
        ...(host ? { host } : {}),
        ...(scheme ? { scheme } : {}),
        ...(httpHeaders?.length
          ? {
              httpHeaders: httpHeaders.map(h => ({
                name: h.name,
                value: h.value,
              })),
            }
          : {}),
      },
    };
  }
  if (probe.exec) {
    return { exec: { command: [...probe.exec.command] } };
  }
  throw new RenderError(path, "needs 'httpGet' or 'exec'");
}
