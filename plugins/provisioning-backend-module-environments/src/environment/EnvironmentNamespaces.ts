import { KubernetesObject } from '@kubernetes/client-node';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { EnvironmentsModuleConfig } from '../config';
import { KubernetesObjects } from '../kubernetes';
import { EnvironmentSpec } from '../manifests';
import { EnvironmentParameters } from './parameters';

/** What every step reads of an environment's request. */
type EnvironmentContext = Pick<
  StatusContext<EnvironmentParameters>,
  'request' | 'outputs'
>;

/**
 * An environment's namespace: its name, what its objects are made from, and
 * whether the one in the cluster is this environment's.
 */
export class EnvironmentNamespaces {
  constructor(
    private readonly objects: KubernetesObjects,
    private readonly config: EnvironmentsModuleConfig,
  ) {}

  /** What the namespace and its guard rails are made from. */
  specOf(ctx: EnvironmentContext): EnvironmentSpec {
    const { parameters } = ctx.request;
    return {
      name: ctx.request.name,
      requestId: ctx.request.id,
      owner: ctx.request.owner,
      component: parameters.component,
      size: this.config.sizes[parameters.size] ?? this.config.sizes.small,
      ingressNamespace: this.config.ingressNamespace,
    };
  }

  /** The namespace recorded by `provision`, else the request's name. */
  nameOf(ctx: EnvironmentContext): string {
    return typeof ctx.outputs.namespace === 'string'
      ? ctx.outputs.namespace
      : ctx.request.name;
  }

  /** The namespace, or undefined when there is none. */
  read(name: string): Promise<KubernetesObject | undefined> {
    return this.objects.read<KubernetesObject>({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }

  /** Whether the namespace was made for the request (and not by someone else). */
  isOurs(namespace: KubernetesObject | undefined, requestId: string): boolean {
    return namespace?.metadata?.labels?.['paved.dev/request-id'] === requestId;
  }
}
