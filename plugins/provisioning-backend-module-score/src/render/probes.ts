import { ScoreProbe } from '@paved/plugin-deployments-common';
import { DEFAULT_PROBES, DefaultProbes } from './defaults';
import { RenderError } from './RenderError';
import { ServicePort } from './service';

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
  | { exec: { command: string[] } }
  | {
      tcpSocket: { port: number };
      periodSeconds: number;
      initialDelaySeconds?: number;
    };

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

/**
 * The probes a container without its own gets: TCP checks of the container port
 * of the workload's first TCP Service port. Score's `service.ports` belong to the
 * workload, not to a container, so only the container that serves them gets these
 * (the caller passes the first of the pod's ordinary containers). None when the
 * defaults turn them off or the workload publishes no TCP port.
 */
export function defaultProbes(
  ports: ServicePort[],
  settings: DefaultProbes = DEFAULT_PROBES,
): { readinessProbe: Probe; livenessProbe: Probe } | undefined {
  const served = ports.find(p => p.protocol === 'TCP');
  if (!settings.enabled || !served) {
    return undefined;
  }
  const tcpSocket = { port: served.targetPort };
  return {
    readinessProbe: {
      tcpSocket,
      periodSeconds: settings.readinessPeriodSeconds,
    },
    livenessProbe: {
      tcpSocket,
      periodSeconds: settings.livenessPeriodSeconds,
      initialDelaySeconds: settings.livenessInitialDelaySeconds,
    },
  };
}
