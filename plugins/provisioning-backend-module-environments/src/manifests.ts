import { parseEntityRef } from '@backstage/catalog-model';
import { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { EnvironmentSize } from './config';

/** The names of the objects Paved puts in every environment. @public */
export const OBJECT_NAMES = {
  quota: 'paved-quota',
  limits: 'paved-limits',
  networkPolicy: 'paved-default-deny',
  roleBinding: 'paved-team-edit',
} as const;

/** What an environment's objects are made from. */
export interface EnvironmentSpec {
  /** The request's name, which is the namespace's. */
  name: string;
  requestId: string;
  /** The owning group's entity ref. */
  owner: string;
  /** The component's entity ref, if the environment is one component's. */
  component?: string;
  size: EnvironmentSize;
  ingressNamespace: string;
}

/** An object with the fields drift detection compares. */
export interface DesiredObject extends KubernetesObject {
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The RBAC group of the owning team: the catalog group's name, which is what the
 * OIDC `groups` claim carries for its members (`group:default/checkout-team` →
 * `checkout-team`).
 */
function rbacGroupOf(owner: string): string {
  return parseEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  }).name;
}

function componentName(component?: string): string | undefined {
  return component
    ? parseEntityRef(component, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }).name
    : undefined;
}

/** The labels of the namespace and of every object Paved puts in it. */
function environmentLabels(spec: EnvironmentSpec) {
  const component = componentName(spec.component);
  return {
    [MANAGED_BY_LABEL]: 'paved',
    'paved.dev/environment': spec.name,
    'paved.dev/owner': rbacGroupOf(spec.owner),
    ...(component ? { 'paved.dev/component': component } : {}),
    'paved.dev/request-id': spec.requestId,
  };
}

/** The namespace itself. */
export function namespaceManifest(spec: EnvironmentSpec): DesiredObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: spec.name,
      labels: environmentLabels(spec),
      annotations: {
        // The Kubernetes tab of the component finds the workloads by this.
        'backstage.io/kubernetes-id':
          componentName(spec.component) ?? spec.name,
      },
    },
  };
}

/**
 * The guard rails of an environment: its quota, default container limits, a
 * default-deny network policy, and the team's `edit` role. These are what
 * `reconcile` puts back when someone changes them by hand.
 */
export function guardRailManifests(spec: EnvironmentSpec): DesiredObject[] {
  const labels = environmentLabels(spec);
  const meta = (name: string) => ({ name, namespace: spec.name, labels });
  const { size } = spec;
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(OBJECT_NAMES.quota),
      spec: {
        hard: {
          'requests.cpu': size.requestsCpu,
          'requests.memory': size.requestsMemory,
          'limits.cpu': size.limitsCpu,
          'limits.memory': size.limitsMemory,
          pods: String(size.pods),
          services: String(size.services),
          persistentvolumeclaims: String(size.persistentVolumeClaims),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(OBJECT_NAMES.limits),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: size.defaultRequestCpu,
              memory: size.defaultRequestMemory,
            },
            default: {
              cpu: size.defaultLimitCpu,
              memory: size.defaultLimitMemory,
            },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(OBJECT_NAMES.networkPolicy),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { podSelector: {} },
              {
                namespaceSelector: {
                  matchLabels: {
                    'kubernetes.io/metadata.name': spec.ingressNamespace,
                  },
                },
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(OBJECT_NAMES.roleBinding),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: rbacGroupOf(spec.owner),
        },
      ],
    },
  ];
}
