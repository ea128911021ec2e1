import { ScoreWorkload } from '@paved/plugin-deployments-common';
import { RenderError } from './RenderError';
import { Resolver, interpolateText } from './placeholders';
import { ServicePort } from './service';

/** The Score resource type of a route: an Ingress rule to the workload's Service. */
export const ROUTE_TYPE = 'route';

/** An Ingress rule as Kubernetes takes it. */
export interface IngressRule {
  host: string;
  http: {
    paths: Array<{
      path: string;
      pathType: 'Prefix';
      backend: { service: { name: string; port: { number: number } } };
    }>;
  };
}

const HOST =
  /^(?=.{1,253}$)(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

function param(
  path: string,
  value: unknown,
  resolve: Resolver,
): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new RenderError(path, 'must be a string or a number');
  }
  return interpolateText(path, value, resolve, 'a route');
}

/**
 * The Ingress rules of the workload's `route` resources (params `host`, `path`,
 * `port`, placeholders resolved), one per route, sorted by resource name. The port
 * must be one the workload's Service publishes.
 */
export function renderRoutes(
  workload: ScoreWorkload,
  service: string,
  ports: ServicePort[],
  resolve: Resolver,
): IngressRule[] {
  const rules: IngressRule[] = [];
  const routes = Object.entries(workload.resources ?? {})
    .filter(([, resource]) => resource.type === ROUTE_TYPE)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [name, resource] of routes) {
    const at = `resources.${name}.params`;
    const params = resource.params ?? {};
    const host = param(`${at}.host`, params.host, resolve)?.toLowerCase();
    if (!host || !HOST.test(host)) {
      throw new RenderError(
        `${at}.host`,
        host ? `'${host}' is not a valid host name` : 'a route needs a host',
      );
    }
    const path = param(`${at}.path`, params.path, resolve) ?? '/';
    if (!path.startsWith('/')) {
      throw new RenderError(`${at}.path`, `'${path}' must start with '/'`);
    }
    const portText = param(`${at}.port`, params.port, resolve);
    const port = Number(portText);
    const published = ports.find(p => p.port === port);
    if (!portText || !published) {
      throw new RenderError(
        `${at}.port`,
        `${
          portText ? `port ${portText} is` : 'a route needs a port that is'
        } not one of the workload's service.ports (${
          ports.length ? ports.map(p => p.port).join(', ') : 'it publishes none'
        })`,
      );
    }
    rules.push({
      host,
      http: {
        paths: [
          {
            path,
            pathType: 'Prefix',
            backend: {
              service: { name: service, port: { number: published.port } },
            },
          },
        ],
      },
    });
  }
  return rules;
}
