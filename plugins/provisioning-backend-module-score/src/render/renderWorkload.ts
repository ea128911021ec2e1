import { createHash } from 'node:crypto';
import {
  ScoreContainer,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';
import type { DesiredObject } from '@paved/plugin-provisioning-backend-module-environments';
import { RenderError } from './RenderError';
import { WorkloadDefaults } from './defaults';
import { FILES_VOLUME, RenderedFiles, renderFiles } from './files';
import { checkDnsLabel, selectorLabels, workloadLabels } from './names';
import { Resolver, resolverFor } from './placeholders';
import { defaultProbes, Probe, renderProbe } from './probes';
import { renderResources } from './containerResources';
import { renderRoutes } from './routes';
import { renderServicePorts, ServicePort } from './service';
import {
  containerEnv,
  expandableText,
  renderVariables,
  SecretRefs,
} from './variables';
import { ContainerRole, containerRoles } from './startOrder';

/** What `renderWorkload` renders a workload from. @public */
export interface RenderWorkloadOptions {
  workload: ScoreWorkload;
  /** The environment's namespace. */
  namespace: string;
  /** The environment's name (labels). */
  environment: string;
  /** The workload's provisioning request (labels). */
  requestId: string;
  /** The component's entity ref; its name is the objects' `backstage.io/kubernetes-id`. */
  component?: string;
  /** The image being deployed: replaces every container image written as `.`. */
  image?: string;
  /** The resolved outputs of the workload's resources, by resource name. */
  resources: Record<string, Record<string, ScoreResourceOutput>>;
  defaults: WorkloadDefaults;
}

/** Changes with the files' contents, so that pods restart when a file changes. */
const FILES_CHECKSUM_ANNOTATION = 'paved.dev/files-checksum';

function hasVolumes(container: ScoreContainer): boolean {
  const volumes = container.volumes;
  return Array.isArray(volumes)
    ? volumes.length > 0
    : Object.keys(volumes ?? {}).length > 0;
}

function renderContainer(
  name: string,
  container: ScoreContainer,
  options: RenderWorkloadOptions,
  resolve: Resolver,
  files: RenderedFiles,
  role: ContainerRole,
  fallbackProbes?: { readinessProbe: Probe; livenessProbe: Probe },
) {
  const at = `containers.${name}`;
  checkDnsLabel(at, name);
  if (
    role === 'init' &&
    (container.livenessProbe || container.readinessProbe)
  ) {
    throw new RenderError(
      `${at}.${container.livenessProbe ? 'livenessProbe' : 'readinessProbe'}`,
      'a container that others wait to complete (before: ready: complete) runs to completion and cannot have probes',
    );
  }
  if (hasVolumes(container)) {
    throw new RenderError(
      `${at}.volumes`,
      'volumes are not supported: Paved renders workloads as Deployments without persistent volumes; use a resource (e.g. s3 or postgres) for state, or files for configuration',
    );
  }
  let image = container.image;
  if (image === '.') {
    if (!options.image) {
      throw new RenderError(
        `${at}.image`,
        "is '.' (the image being deployed), but the deployment names no image",
      );
    }
    image = options.image;
  }
  const refs: SecretRefs = new Map();
  const variables = renderVariables(
    `${at}.variables`,
    container.variables ?? {},
    resolve,
    refs,
  );
  const command = container.command?.map((text, i) =>
    expandableText(`${at}.command[${i}]`, text, resolve, refs),
  );
  const args = container.args?.map((text, i) =>
    expandableText(`${at}.args[${i}]`, text, resolve, refs),
  );
  const env = containerEnv(refs, variables);
  const mounts = files.mounts[name] ?? [];
  return {
    name,
    image,
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    ...(env.length ? { env } : {}),
    resources: renderResources(
      `${at}.resources`,
      container.resources,
      options.defaults,
    ),
    ...(container.livenessProbe
      ? {
          livenessProbe: renderProbe(
            `${at}.livenessProbe`,
            container.livenessProbe,
          ),
        }
      : fallbackProbes && { livenessProbe: fallbackProbes.livenessProbe }),
    ...(container.readinessProbe
      ? {
          readinessProbe: renderProbe(
            `${at}.readinessProbe`,
            container.readinessProbe,
          ),
        }
      : fallbackProbes && { readinessProbe: fallbackProbes.readinessProbe }),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
    ...(role === 'sidecar' ? { restartPolicy: 'Always' } : {}),
  };
}

/**
 * The container that serves the workload's `service.ports` and so gets the default
 * probes: Score's ports belong to the workload, not to a container, so it is the
 * first ordinary container (not an init container or sidecar) in the document.
 */
function servingContainer(
  names: string[],
  roles: Map<string, ContainerRole>,
  ports: ServicePort[],
): string | undefined {
  return ports.length > 0
    ? names.find(name => roles.get(name) === 'main')
    : undefined;
}

/**
 * The Kubernetes objects of a Score workload in an environment: a Deployment, a
 * ConfigMap of its files, a Service of its `service.ports` and an Ingress of its
 * `route` resources (each only when there is something to put in it). Placeholders
 * are resolved against the workload and its resources' outputs; secret outputs
 * become `secretKeyRef`s, never values. Throws a `RenderError` naming the field for
 * anything that cannot be rendered.
 *
 * @public
 */
export function renderWorkload(
  options: RenderWorkloadOptions,
): DesiredObject[] {
  const { workload, namespace } = options;
  const name = workload.metadata?.name;
  const ports = renderServicePorts(workload);
  checkDnsLabel('metadata.name', name ?? '', { service: ports.length > 0 });
  const resolve = resolverFor(workload, options.resources);
  const labels = workloadLabels({ ...options, workload: name });
  const metadata = (objectName: string) => ({
    name: objectName,
    namespace,
    labels,
  });

  const containerNames = Object.keys(workload.containers ?? {});
  if (containerNames.length === 0) {
    throw new RenderError(
      'containers',
      'a workload needs at least one container',
    );
  }
  const files = renderFiles(workload.containers, resolve);
  const roles = containerRoles(workload);
  const serving = servingContainer(containerNames, roles, ports);
  const render = (containerName: string) =>
    renderContainer(
      containerName,
      workload.containers[containerName],
      options,
      resolve,
      files,
      roles.get(containerName)!,
      containerName === serving
        ? defaultProbes(ports, options.defaults.probes)
        : undefined,
    );
  const containers = containerNames
    .filter(c => roles.get(c) === 'main')
    .map(render);
  const initContainers = containerNames
    .filter(c => roles.get(c) !== 'main')
    .map(render);
  const objects: DesiredObject[] = [];
  const configMapName = `${name}-files`;
  const hasFiles = files.items.length > 0;
  if (hasFiles) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(configMapName),
      ...(Object.keys(files.data).length ? { data: files.data } : {}),
      ...(Object.keys(files.binaryData).length
        ? { binaryData: files.binaryData }
        : {}),
    });
  }
  const podAnnotations: Record<string, string> = {
    ...(workload.metadata.annotations ?? {}),
    ...(hasFiles
      ? {
          [FILES_CHECKSUM_ANNOTATION]: createHash('sha256')
            .update(JSON.stringify([files.data, files.binaryData, files.items]))
            .digest('hex')
            .slice(0, 16),
        }
      : {}),
  };
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(name),
    spec: {
      replicas: 1,
      progressDeadlineSeconds: options.defaults.progressDeadlineSeconds,
      selector: { matchLabels: selectorLabels(name) },
      template: {
        metadata: {
          labels,
          ...(Object.keys(podAnnotations).length
            ? { annotations: podAnnotations }
            : {}),
        },
        spec: {
          ...(initContainers.length ? { initContainers } : {}),
          containers,
          ...(hasFiles
            ? {
                volumes: [
                  {
                    name: FILES_VOLUME,
                    configMap: { name: configMapName, items: files.items },
                  },
                ],
              }
            : {}),
        },
      },
    },
  });
  if (ports.length > 0) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name),
      spec: { type: 'ClusterIP', selector: selectorLabels(name), ports },
    });
  }
  const rules = renderRoutes(workload, name, ports, resolve);
  if (rules.length > 0) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(name),
      spec: {
        ...(options.defaults.ingressClassName
          ? { ingressClassName: options.defaults.ingressClassName }
          : {}),
        rules,
      },
    });
  }
  return objects;
}
