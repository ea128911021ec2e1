/*
 * Paved's Helm chart (deploy/helm/paved) with the real helm v4 and the real local
 * kube-apiserver: lint, render (default and production-like values), server-side apply of
 * the rendered manifests until the pods run on the kwok nodes, and the chart's RBAC asked of
 * the API server (SubjectAccessReview as the chart's service account, and real calls with
 * a token of that service account).
 *
 * helm comes from env PAVED_HELM, else `scripts/helm.sh path` (builds it once, ~2 min).
 * The control plane comes from PAVED_TEST_KUBECONFIG (an admin kubeconfig).
 * CloudNativePG's CRD is not installed on the test control plane, so its `Cluster` is
 * checked as rendered only; so are the ServiceMonitor (prometheus-operator's CRD) and the
 * Ingress/HPA of the production values, which the apply step does not use.
 */
import { KubeConfig } from '@kubernetes/client-node';
import {
  createTestNamespace,
  requireTestCluster,
} from '@paved/kube-test-utils';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const REPO = resolve(__dirname, '../../../..');
const CHART = join(REPO, 'deploy/helm/paved');
const PRODUCTION_VALUES = join(CHART, 'values-production.yaml');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: any };
  [key: string]: any;
};

/**
 * What each plugin does against the cluster, read from its code (docs/helm.md has the same
 * table). The chart's ClusterRoles must grant exactly this, and the API server must agree.
 */
interface Grant {
  role: string;
  plugin: string;
  group: string;
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
const GRANTS: Grant[] = [
  // Kubernetes plugin (default object types), Kubernetes scorecard facts, runbook diagnostics
  ...[
    {
      group: '',
      resources: [
        'pods',
        'services',
        'configmaps',
        'limitranges',
        'resourcequotas',
        'events',
      ],
    },
    {
      group: 'apps',
      resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
    },
    { group: 'autoscaling', resources: ['horizontalpodautoscalers'] },
    { group: 'batch', resources: ['jobs', 'cronjobs'] },
    { group: 'networking.k8s.io', resources: ['ingresses'] },
  ].map(g => ({
    ...g,
    role: 'kubernetes-read',
    plugin: 'kubernetes',
    verbs: ['get', 'list', 'watch'],
  })),
  {
    role: 'kubernetes-read',
    plugin: 'kubernetes (pod logs)',
    group: '',
    resources: ['pods/log'],
    verbs: ['get'],
  },
  {
    role: 'kubernetes-read',
    plugin: 'kubernetes (metrics)',
    group: 'metrics.k8s.io',
    resources: ['pods'],
    verbs: ['get', 'list'],
  },
  // Provisioning
  {
    role: 'provisioning',
    plugin: 'provisioning ensureNamespace',
    group: '',
    resources: ['namespaces'],
    verbs: ['get', 'create', 'patch'],
  },
  {
    role: 'provisioning',
    plugin: 'provisioning PrometheusRuleWriter',
    group: 'monitoring.coreos.com',
    resources: ['prometheusrules'],
    verbs: ['create', 'patch', 'delete'],
  },
  {
    role: 'provisioning',
    plugin: 'provisioning cnpg',
    group: 'postgresql.cnpg.io',
    resources: ['clusters'],
    verbs: ['get', 'create', 'patch', 'delete'],
  },
  {
    role: 'provisioning',
    plugin: 'provisioning crossplane',
    group: 'apiextensions.crossplane.io',
    resources: ['compositeresourcedefinitions'],
    verbs: ['list'],
  },
  {
    role: 'provisioning-secrets',
    plugin: 'provisioning SecretWriter',
    group: '',
    resources: ['secrets'],
    verbs: ['create', 'patch', 'delete'],
  },
  // Environments
  {
    role: 'environments',
    plugin: 'environments',
    group: '',
    resources: ['namespaces'],
    verbs: ['get', 'create', 'patch', 'delete'],
  },
  {
    role: 'environments',
    plugin: 'environments',
    group: '',
    resources: ['resourcequotas', 'limitranges'],
    verbs: ['get', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments',
    group: 'networking.k8s.io',
    resources: ['networkpolicies'],
    verbs: ['get', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments',
    group: 'rbac.authorization.k8s.io',
    resources: ['rolebindings'],
    verbs: ['get', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments',
    group: 'rbac.authorization.k8s.io',
    resources: ['clusterroles'],
    verbs: ['bind'],
    resourceNames: ['edit'],
  },
  {
    role: 'environments',
    plugin: 'environments clone/promote',
    group: '',
    resources: ['configmaps', 'services'],
    verbs: ['list', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments clone/promote',
    group: 'apps',
    resources: ['deployments', 'statefulsets'],
    verbs: ['list', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments clone',
    group: 'networking.k8s.io',
    resources: ['ingresses'],
    verbs: ['list', 'create', 'patch'],
  },
  {
    role: 'environments',
    plugin: 'environments workloads',
    group: '',
    resources: ['pods'],
    verbs: ['list'],
  },
  // Score workloads
  {
    role: 'score',
    plugin: 'score',
    group: '',
    resources: ['configmaps', 'services'],
    verbs: ['list', 'create', 'patch', 'delete'],
  },
  {
    role: 'score',
    plugin: 'score',
    group: 'apps',
    resources: ['deployments'],
    verbs: ['get', 'list', 'create', 'patch', 'delete'],
  },
  {
    role: 'score',
    plugin: 'score',
    group: 'networking.k8s.io',
    resources: ['ingresses'],
    verbs: ['list', 'create', 'patch', 'delete'],
  },
  {
    role: 'score',
    plugin: 'score rollout',
    group: 'apps',
    resources: ['replicasets'],
    verbs: ['list'],
  },
  {
    role: 'score',
    plugin: 'score rollout',
    group: '',
    resources: ['pods'],
    verbs: ['list'],
  },
  // Runbooks
  {
    role: 'runbooks',
    plugin: 'runbooks',
    group: 'apps',
    resources: ['deployments'],
    verbs: ['get', 'list', 'patch'],
  },
  {
    role: 'runbooks',
    plugin: 'runbooks',
    group: 'apps',
    resources: ['replicasets'],
    verbs: ['list'],
  },
  {
    role: 'runbooks',
    plugin: 'runbooks',
    group: '',
    resources: ['pods', 'events'],
    verbs: ['list'],
  },
];

/** `role|group|resource|verb|resourceName` of every grant, for set comparisons. */
function tuples(
  rules: {
    role: string;
    group: string;
    resources: string[];
    verbs: string[];
    resourceNames?: string[];
  }[],
): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const resource of r.resources) {
      for (const verb of r.verbs) {
        for (const name of r.resourceNames ?? ['']) {
          out.add([r.role, r.group, resource, verb, name].join('|'));
        }
      }
    }
  }
  return [...out].sort();
}

// --- helm -----------------------------------------------------------------------------

let helmBin: string;
let helmHome: string;

function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        timeout: options.timeout ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        // A failed run without a numeric exit code (timeout, signal) counts as 1.
        let code = 0;
        if (error) {
          code = typeof error.code === 'number' ? error.code : 1;
        }
        done({ code, stdout, stderr });
      },
    );
  });
}

async function findHelm(): Promise<string> {
  if (process.env.PAVED_HELM) {
    return process.env.PAVED_HELM;
  }
  // Builds it once (about 2 min on 2 cores), then answers at once.
  const built = await run(join(REPO, 'scripts/helm.sh'), ['path'], {
    timeout: 15 * 60_000,
  });
  if (built.code !== 0) {
    throw new Error(`scripts/helm.sh path failed:\n${built.stderr}`);
  }
  return built.stdout.trim();
}

/** helm with its config, cache and data folders in a temporary folder (nothing of the user's). */
function helm(args: string[]) {
  return run(helmBin, args, {
    env: {
      PATH: process.env.PATH,
      HOME: helmHome,
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    },
  });
}

/** Values every render needs: an external Postgres host (the chart requires one). */
const BASE_SET = ['--set', 'postgres.external.host=postgres.example.internal'];

async function template(
  args: string[],
  options: { release?: string; namespace?: string } = {},
): Promise<Manifest[]> {
  const result = await helm([
    'template',
    options.release ?? 'paved',
    CHART,
    '--namespace',
    options.namespace ?? 'paved',
    ...args,
  ]);
  if (result.code !== 0) {
    throw new Error(`helm template failed:\n${result.stderr}`);
  }
  return parseAllDocuments(result.stdout)
    .map(doc => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => !!m);
}

function find(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter(
    m => m.kind === kind && (!name || m.metadata.name === name),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`,
    );
  }
  return found[0];
}

/** The chart's ClusterRoles as tuples, with the role name's release prefix removed. */
function renderedGrants(manifests: Manifest[], prefix: string): string[] {
  return tuples(
    manifests
      .filter(m => m.kind === 'ClusterRole')
      .flatMap(role =>
        (role.rules as any[]).flatMap(rule =>
          (rule.apiGroups as string[]).map(group => ({
            role: role.metadata.name.slice(prefix.length + 1),
            group,
            resources: rule.resources,
            verbs: rule.verbs,
            resourceNames: rule.resourceNames,
          })),
        ),
      ),
  );
}

/** The Dockerfile's CMD, which the Deployment's args must start with. */
function dockerfileCmd(): string[] {
  const line = readFileSync(join(REPO, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter(l => l.startsWith('CMD '))
    .pop();
  return JSON.parse(line!.slice(4));
}

// --- the Kubernetes API, as plain HTTP (objects go as the API server spells them) -----------

let kc: KubeConfig;
let apiUrl: string;

async function kube(
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const url = new URL(path, apiUrl);
  const opts: https.RequestOptions = {
    method,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    headers: {},
  };
  await kc.applyToHTTPSOptions(opts);
  const headers = opts.headers as Record<string, string>;
  headers.Accept = 'application/json';
  if (options.token) {
    headers.Authorization = `Bearer ${options.token}`;
  }
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
  }
  return new Promise((done, fail) => {
    const req = https.request(opts, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (e.g. a plain-text error): kept as text
        }
        done({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}

/** Resource paths of the kinds the chart renders (and the test applies). */
const PLURALS: Record<string, string> = {
  ServiceAccount: 'serviceaccounts',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Service: 'services',
  Deployment: 'deployments',
  PodDisruptionBudget: 'poddisruptionbudgets',
  NetworkPolicy: 'networkpolicies',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  RoleBinding: 'rolebindings',
  Namespace: 'namespaces',
};

function pathOf(m: Manifest, namespace?: string): string {
  const plural = PLURALS[m.kind];
  if (!plural) {
    throw new Error(`the test does not know the path of kind ${m.kind}`);
  }
  const root = m.apiVersion.includes('/') ? 'apis' : 'api';
  const ns = namespace ?? m.metadata.namespace;
  return `/${root}/${m.apiVersion}/${ns ? `namespaces/${ns}/` : ''}${plural}/${
    m.metadata.name
  }`;
}

const FIELD_MANAGER = 'paved-helm-chart-test';

async function apply(
  m: Manifest,
  namespace: string | undefined,
  token?: string,
) {
  return kube(
    'PATCH',
    `${pathOf(m, namespace)}?fieldManager=${FIELD_MANAGER}&force=true`,
    { body: m, contentType: 'application/apply-patch+yaml', token },
  );
}

const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'Namespace',
]);

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) {
      return last;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// --- tests -------------------------------------------------------------------------------

beforeAll(async () => {
  helmHome = mkdtempSync(join(tmpdir(), 'paved-helm-'));
  helmBin = await findHelm();
}, 16 * 60_000);

afterAll(() => {
  if (helmHome) {
    rmSync(helmHome, { recursive: true, force: true });
  }
});

describe('deploy/helm/paved', () => {
  it('is helm v4 that runs it', async () => {
    const version = await helm(['version', '--short']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^v4\./);
  });

  it('passes helm lint (strict) with the default and the production values', async () => {
    const plain = await helm(['lint', '--strict', CHART, ...BASE_SET]);
    expect(plain.stderr + plain.stdout).toMatch(
      /1 chart\(s\) linted, 0 chart\(s\) failed/,
    );
    expect(plain.code).toBe(0);
    const production = await helm([
      'lint',
      '--strict',
      CHART,
      '-f',
      PRODUCTION_VALUES,
    ]);
    expect(production.stderr + production.stdout).toMatch(
      /0 chart\(s\) failed/,
    );
    expect(production.code).toBe(0);
  });

  it('refuses values without a database, and TLS without a certificate, with clear messages', async () => {
    const noDb = await helm(['template', 'paved', CHART]);
    expect(noDb.code).not.toBe(0);
    expect(noDb.stderr).toContain(
      'postgres.external.host is required (the Postgres server',
    );
    const noCert = await helm([
      'template',
      'paved',
      CHART,
      ...BASE_SET,
      '--set',
      'ingress.enabled=true,ingress.tls.enabled=true',
    ]);
    expect(noCert.code).not.toBe(0);
    expect(noCert.stderr).toContain('ingress.tls.secretName is required');
  });

  it('renders the default values: the Dockerfile command, probes, config, and exactly the RBAC of the plugins', async () => {
    const manifests = await template(BASE_SET);
    const kinds = manifests.map(m => m.kind).sort();
    expect(new Set(kinds)).toEqual(
      new Set([
        'ServiceAccount',
        'Secret',
        'ConfigMap',
        'Service',
        'Deployment',
        'PodDisruptionBudget',
        'NetworkPolicy',
        'ClusterRole',
        'ClusterRoleBinding',
      ]),
    );
    // Off by default: the autoscaler, the ServiceMonitor, CloudNativePG, the Ingress.
    for (const kind of [
      'HorizontalPodAutoscaler',
      'ServiceMonitor',
      'Cluster',
      'Ingress',
    ]) {
      expect(kinds).not.toContain(kind);
    }

    const deployment = find(manifests, 'Deployment', 'paved');
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('paved');
    const [container] = pod.containers;
    expect(container.args.slice(0, dockerfileCmd().length)).toEqual(
      dockerfileCmd(),
    );
    expect(container.args.slice(dockerfileCmd().length)).toEqual([
      '--config',
      '/app/config/app-config.kubernetes.yaml',
    ]);
    expect(container.livenessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/liveness',
    );
    expect(container.readinessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.resources.requests).toEqual({
      cpu: '500m',
      memory: '1Gi',
    });
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'paved-env' } },
      { secretRef: { name: 'paved' } },
    ]);

    const env = find(manifests, 'ConfigMap', 'paved-env');
    expect(env.data).toMatchObject({
      POSTGRES_HOST: 'postgres.example.internal',
      POSTGRES_PORT: '5432',
      PAVED_BASE_URL: 'http://localhost:7007',
    });
    const overlay = find(manifests, 'ConfigMap', 'paved-config');
    expect(overlay.data['app-config.kubernetes.yaml']).toContain(
      'url: https://kubernetes.default.svc',
    );

    expect(find(manifests, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
    expect(find(manifests, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);

    // Exactly the table: nothing more, nothing less.
    expect(renderedGrants(manifests, 'paved-paved')).toEqual(tuples(GRANTS));
    // Secrets: never get, list or watch, in any role.
    const secretReads = tuples(GRANTS).filter(t =>
      /^[^|]*\|\|secrets\|(get|list|watch)\|/.test(t),
    );
    expect(secretReads).toEqual([]);
    expect(renderedGrants(manifests, 'paved-paved').join('\n')).not.toMatch(
      /\*/,
    );
    // Each role bound to the chart's service account.
    const bindings = manifests.filter(m => m.kind === 'ClusterRoleBinding');
    expect(bindings.map(b => b.roleRef.name).sort()).toEqual(
      manifests
        .filter(m => m.kind === 'ClusterRole')
        .map(r => r.metadata.name)
        .sort(),
    );
    for (const b of bindings) {
      expect(b.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'paved', namespace: 'paved' },
      ]);
    }
  });

  it('renders the production values: HPA, CloudNativePG, TLS ingress, restricted egress', async () => {
    const manifests = await template(['-f', PRODUCTION_VALUES]);
    const deployment = find(manifests, 'Deployment');
    // The autoscaler owns the replica count.
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = find(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 8,
      scaleTargetRef: { kind: 'Deployment', name: 'paved' },
    });
    const cluster = find(manifests, 'Cluster', 'paved-postgres');
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.spec).toMatchObject({
      instances: 3,
      storage: { size: '50Gi' },
      bootstrap: {
        initdb: { owner: 'app', postInitSQL: ['ALTER ROLE app CREATEDB'] },
      },
    });
    expect(find(manifests, 'ConfigMap', 'paved-env').data.POSTGRES_HOST).toBe(
      'paved-postgres-rw',
    );
    const [container] = deployment.spec.template.spec.containers;
    expect(container.env).toEqual(
      expect.arrayContaining([
        {
          name: 'POSTGRES_PASSWORD',
          valueFrom: {
            secretKeyRef: { name: 'paved-postgres-app', key: 'password' },
          },
        },
      ]),
    );
    // existingSecret: the chart makes no Secret and reads the given one.
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(container.envFrom).toContainEqual({
      secretRef: { name: 'paved-secrets' },
    });
    const ingress = find(manifests, 'Ingress');
    expect(ingress.spec.tls).toEqual([
      { hosts: ['paved.example.com'], secretName: 'paved-tls' },
    ]);
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const policy = find(manifests, 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress[0].from).toEqual([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
        },
      },
    ]);
    expect(find(manifests, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    // Crossplane's composite resources of the listed group, and only those.
    const provisioning = find(
      manifests,
      'ClusterRole',
      'paved-paved-provisioning',
    );
    expect(provisioning.rules).toContainEqual({
      apiGroups: ['platform.example.org'],
      resources: ['*'],
      verbs: ['get', 'create', 'patch', 'delete'],
    });
  });

  it('limits Secret writes to listed namespaces through RoleBindings when asked', async () => {
    const manifests = await template([
      ...BASE_SET,
      '--set',
      'rbac.provisioning.secretNamespaces={team-a,team-b}',
    ]);
    const bindings = manifests.filter(m => m.kind === 'RoleBinding');
    expect(bindings.map(b => [b.metadata.namespace, b.roleRef.name])).toEqual([
      ['team-a', 'paved-paved-provisioning-secrets'],
      ['team-b', 'paved-paved-provisioning-secrets'],
    ]);
    expect(
      manifests
        .filter(m => m.kind === 'ClusterRoleBinding')
        .map(b => b.roleRef.name),
    ).not.toContain('paved-paved-provisioning-secrets');
  });
});

describe('deploy/helm/paved on the local control plane', () => {
  const release = 'paved';
  let namespace: { name: string; cleanup(): Promise<void> } | undefined;
  let manifests: Manifest[] = [];
  const teamNamespace = `paved-helm-team-${randomBytes(3).toString('hex')}`;
  let saToken = '';

  beforeAll(async () => {
    const cluster = requireTestCluster();
    kc = cluster.kubeConfig;
    apiUrl = cluster.url;
    namespace = await createTestNamespace(kc, 'paved-helm');
    const values = join(helmHome, 'values-test.yaml');
    // Small requests (the kwok nodes are simulated, but the scheduler counts them), a
    // chart-made Secret with placeholder values, and an ingress-controller namespace so
    // that the NetworkPolicy's `from` is exercised too.
    writeFileSync(
      values,
      JSON.stringify({
        replicaCount: 2,
        image: { repository: 'registry.invalid/paved', tag: 'test' },
        resources: { requests: { cpu: '10m', memory: '32Mi' } },
        postgres: { external: { host: 'postgres.example.internal' } },
        secret: {
          values: {
            BACKEND_SECRET: randomBytes(24).toString('hex'),
            POSTGRES_PASSWORD: 'placeholder',
          },
        },
        networkPolicy: { ingressControllerNamespace: 'ingress-nginx' },
      }),
    );
    manifests = await template(['-f', values], {
      release,
      namespace: namespace.name,
    });
  }, 60_000);

  afterAll(async () => {
    if (!kc) {
      return; // no control plane: beforeAll failed and said why
    }
    // Cluster-scoped objects first (the namespace's deletion does not take them).
    for (const m of manifests.filter(x => CLUSTER_SCOPED.has(x.kind))) {
      await kube('DELETE', pathOf(m));
    }
    await kube('DELETE', `/api/v1/namespaces/${teamNamespace}`);
    await namespace?.cleanup();
  }, 60_000);

  it('applies server-side; the pods reach Running on the kwok nodes', async () => {
    const ns = namespace!.name;
    // Order as helm installs: identity and config before the Deployment.
    const order = [
      'ClusterRole',
      'ClusterRoleBinding',
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'Deployment',
    ];
    const sorted = [...manifests].sort(
      (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind),
    );
    for (const m of sorted) {
      expect(order).toContain(m.kind);
      const res = await apply(m, CLUSTER_SCOPED.has(m.kind) ? undefined : ns);
      if (res.status >= 300) {
        throw new Error(
          `applying ${m.kind} ${m.metadata.name}: HTTP ${
            res.status
          } ${JSON.stringify(res.body).slice(0, 500)}`,
        );
      }
    }
    // The NetworkPolicy kept its `from` (a plain apply, no client models in between).
    const policy = await kube(
      'GET',
      `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/paved`,
    );
    expect(policy.body.spec.ingress[0].from).toHaveLength(1);

    const selector = encodeURIComponent(
      `app.kubernetes.io/instance=${release}`,
    );
    const pods = await waitFor(
      'two Running pods of the chart',
      async () => {
        const res = await kube(
          'GET',
          `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`,
        );
        const running = (res.body.items ?? []).filter(
          (p: any) => p.status?.phase === 'Running' && p.spec?.nodeName,
        );
        return running.length === 2 ? running : undefined;
      },
      60_000,
    );
    for (const pod of pods) {
      expect(pod.spec.serviceAccountName).toBe('paved');
      expect(pod.spec.containers[0].image).toBe('registry.invalid/paved:test');
    }
    const deployment = await waitFor(
      'the Deployment to report 2 available replicas',
      async () => {
        const res = await kube(
          'GET',
          `/apis/apps/v1/namespaces/${ns}/deployments/paved`,
        );
        return res.body.status?.availableReplicas === 2 ? res.body : undefined;
      },
      60_000,
    );
    expect(deployment.spec.replicas).toBe(2);
  }, 150_000);

  it('gives the service account what each plugin does, per the API server (SubjectAccessReview)', async () => {
    const ns = namespace!.name;
    const user = `system:serviceaccount:${ns}:paved`;
    const groups = [
      'system:serviceaccounts',
      `system:serviceaccounts:${ns}`,
      'system:authenticated',
    ];
    const can = async (a: {
      verb: string;
      group: string;
      resource: string;
      namespace?: string;
      name?: string;
    }) => {
      const [resource, subresource] = a.resource.split('/');
      const res = await kube(
        'POST',
        '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user,
              groups,
              resourceAttributes: {
                verb: a.verb,
                group: a.group,
                resource,
                subresource,
                namespace: a.namespace,
                name: a.name,
              },
            },
          },
        },
      );
      expect(res.status).toBe(201);
      return res.body.status.allowed === true;
    };
    const cannotDo: string[] = [];
    for (const g of GRANTS) {
      for (const resource of g.resources) {
        for (const verb of g.verbs) {
          const clusterScoped = [
            'namespaces',
            'clusterroles',
            'compositeresourcedefinitions',
          ].includes(resource);
          const allowed = await can({
            verb,
            group: g.group,
            resource,
            // Any team namespace (the plugins make them at run time).
            namespace: clusterScoped ? undefined : 'some-team-namespace',
            name: g.resourceNames?.[0],
          });
          if (!allowed) {
            cannotDo.push(`${g.plugin}: ${verb} ${g.group}/${resource}`);
          }
        }
      }
    }
    expect(cannotDo).toEqual([]);

    // ...and not more: Secrets are never readable, anywhere; no other role may be bound.
    const mustNot = [
      { verb: 'get', group: '', resource: 'secrets' },
      { verb: 'list', group: '', resource: 'secrets' },
      { verb: 'watch', group: '', resource: 'secrets' },
      { verb: 'get', group: '', resource: 'secrets', namespace: 'kube-system' },
      { verb: 'list', group: '', resource: 'secrets', namespace: ns },
      {
        verb: 'bind',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        name: 'cluster-admin',
      },
      {
        verb: 'escalate',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
      },
      {
        verb: 'create',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterrolebindings',
      },
      {
        verb: 'create',
        group: 'rbac.authorization.k8s.io',
        resource: 'roles',
        namespace: 'x',
      },
      { verb: 'delete', group: '', resource: 'nodes' },
      { verb: 'create', group: '', resource: 'pods', namespace: 'x' },
      { verb: 'create', group: '', resource: 'pods/exec', namespace: 'x' },
      {
        verb: 'create',
        group: '',
        resource: 'serviceaccounts/token',
        namespace: 'x',
      },
      {
        verb: 'delete',
        group: 'apps',
        resource: 'statefulsets',
        namespace: 'x',
      },
      {
        verb: 'create',
        group: 'apiextensions.k8s.io',
        resource: 'customresourcedefinitions',
      },
    ];
    const allowedButMustNot: string[] = [];
    for (const a of mustNot) {
      if (await can(a)) {
        allowedButMustNot.push(
          `${a.verb} ${a.group}/${a.resource} ${a.namespace ?? '(cluster)'}`,
        );
      }
    }
    expect(allowedButMustNot).toEqual([]);
  }, 120_000);

  it('works as the service account itself: namespace and Secret by server-side apply, no Secret reads', async () => {
    const ns = namespace!.name;
    const tokenRequest = await kube(
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/paved/token`,
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 600 },
        },
      },
    );
    expect(tokenRequest.status).toBe(201);
    saToken = tokenRequest.body.status.token;
    const as = (
      method: string,
      path: string,
      body?: unknown,
      contentType?: string,
    ) => kube(method, path, { body, contentType, token: saToken });

    // What the Kubernetes plugin does: read pods cluster-wide.
    expect((await as('GET', '/api/v1/pods?limit=1')).status).toBe(200);
    // ensureNamespace: get (404), then server-side apply.
    expect(
      (await as('GET', `/api/v1/namespaces/${teamNamespace}`)).status,
    ).toBe(404);
    const nsManifest: Manifest = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: teamNamespace,
        labels: { 'app.kubernetes.io/managed-by': 'paved' },
      },
    };
    const created = await apply(nsManifest, undefined, saToken);
    expect(created.status).toBe(201);
    // SecretWriter: server-side apply, then delete by uid; never a read.
    const secret: Manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orders-db', namespace: teamNamespace },
      stringData: { password: 'placeholder' },
    };
    const applied = await apply(secret, teamNamespace, saToken);
    expect(applied.status).toBe(201);
    expect(
      (await as('GET', `/api/v1/namespaces/${teamNamespace}/secrets/orders-db`))
        .status,
    ).toBe(403);
    expect(
      (await as('GET', `/api/v1/namespaces/${teamNamespace}/secrets`)).status,
    ).toBe(403);
    expect((await as('GET', '/api/v1/secrets')).status).toBe(403);
    const deleted = await as(
      'DELETE',
      `/api/v1/namespaces/${teamNamespace}/secrets/orders-db`,
      { preconditions: { uid: applied.body.metadata.uid } },
    );
    expect(deleted.status).toBe(200);
    // Environments: the team's `edit` RoleBinding (needs `bind` on edit), but no other role.
    const binding = (role: string): Manifest =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `team-${role}`, namespace: teamNamespace },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role,
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: 'team-a',
          },
        ],
      } as Manifest);
    expect((await apply(binding('edit'), teamNamespace, saToken)).status).toBe(
      201,
    );
    expect((await apply(binding('admin'), teamNamespace, saToken)).status).toBe(
      403,
    );
    // destroy: the namespace goes.
    expect(
      (await as('DELETE', `/api/v1/namespaces/${teamNamespace}`)).status,
    ).toBe(200);
  }, 60_000);
});
