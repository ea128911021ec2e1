import { ScoreWorkload } from '@paved/plugin-deployments-common';
import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';
import { DEFAULT_WORKLOAD_DEFAULTS, RenderError, renderWorkload } from '.';
import { RenderWorkloadOptions } from './renderWorkload';

const SECRET = { name: 'orders-db-credentials', key: 'password' };

const DB_OUTPUTS: Record<string, ScoreResourceOutput> = {
  host: { value: 'orders-db.dev-orders.svc' },
  port: { value: 5432 },
  database: { value: 'orders' },
  username: { secretKeyRef: { name: SECRET.name, key: 'username' } },
  password: { secretKeyRef: SECRET },
};

function workload(overrides: Partial<ScoreWorkload> = {}): ScoreWorkload {
  return {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: 'orders' },
    containers: { api: { image: 'ghcr.io/acme/orders:1.4.2' } },
    ...overrides,
  };
}

function render(
  w: ScoreWorkload,
  options: Partial<RenderWorkloadOptions> = {},
) {
  return renderWorkload({
    workload: w,
    namespace: 'dev-orders',
    environment: 'dev-orders',
    requestId: 'req-1',
    component: 'component:default/orders-service',
    resources: { db: DB_OUTPUTS },
    defaults: DEFAULT_WORKLOAD_DEFAULTS,
    ...options,
  });
}

function byKind(objects: ReturnType<typeof render>, kind: string): any {
  return objects.find(o => o.kind === kind);
}

function deploymentOf(objects: ReturnType<typeof render>): any {
  return byKind(objects, 'Deployment');
}

function containerOf(objects: ReturnType<typeof render>, index = 0): any {
  return deploymentOf(objects).spec.template.spec.containers[index];
}

/** The RenderError that rendering `w` (with `options`) throws. */
function renderError(
  w: ScoreWorkload,
  options: Partial<RenderWorkloadOptions> = {},
): RenderError {
  try {
    render(w, options);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error('expected a RenderError');
}

describe('renderWorkload', () => {
  it('renders a Deployment with the labels the Kubernetes tab and pruning look for', () => {
    const objects = render(workload());
    expect(objects.map(o => o.kind)).toEqual(['Deployment']);
    const deployment = deploymentOf(objects);
    const labels = {
      'app.kubernetes.io/name': 'orders',
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/managed-by': 'paved',
      'backstage.io/kubernetes-id': 'orders-service',
      'paved.dev/workload': 'orders',
      'paved.dev/environment': 'dev-orders',
      'paved.dev/request-id': 'req-1',
    };
    expect(deployment).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orders', namespace: 'dev-orders', labels },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 60,
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': 'orders',
            'app.kubernetes.io/instance': 'orders',
          },
        },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'ghcr.io/acme/orders:1.4.2',
                resources: {
                  requests: { cpu: '50m', memory: '64Mi' },
                  limits: { cpu: '500m', memory: '256Mi' },
                },
              },
            ],
          },
        },
      },
    });
  });

  it("uses the workload's name as kubernetes-id without a component", () => {
    const deployment = deploymentOf(
      render(workload(), { component: undefined }),
    );
    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'orders',
    );
  });

  it("replaces '.' images with the deployed image, and refuses '.' without one", () => {
    const w = workload({
      containers: { api: { image: '.' }, proxy: { image: 'envoy:1.30' } },
    });
    const objects = render(w, { image: 'registry.test/orders:2' });
    expect(
      deploymentOf(objects).spec.template.spec.containers.map(
        (c: any) => c.image,
      ),
    ).toEqual(['registry.test/orders:2', 'envoy:1.30']);
    const error = renderError(w);
    expect(error.path).toBe('containers.api.image');
  });

  it('turns variables into env vars, secret outputs into secretKeyRefs and never into values', () => {
    const objects = render(
      workload({
        metadata: {
          name: 'orders',
          annotations: { 'example.com/team': 'payments' },
        },
        containers: {
          api: {
            image: 'x:1',
            variables: {
              POSTGRES_HOST: '${resources.db.host}',
              POSTGRES_PORT: '${resources.db.port}',
              POSTGRES_PASSWORD: '${resources.db.password}',
              SERVICE_NAME: '${metadata.name}',
              TEAM: '${metadata.annotations.example\\.com/team}',
              PRICE: 'costs $5 or $(FREE), not $${x}',
            },
          },
        },
        resources: { db: { type: 'postgres' } },
      }),
    );
    expect(containerOf(objects).env).toEqual([
      { name: 'POSTGRES_HOST', value: 'orders-db.dev-orders.svc' },
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: 'orders-db-credentials', key: 'password' },
        },
      },
      { name: 'POSTGRES_PORT', value: '5432' },
      // The kubelet reads `$$` as `$`: the text stays what the workload says.
      { name: 'PRICE', value: 'costs $$5 or $$(FREE), not $${x}' },
      { name: 'SERVICE_NAME', value: 'orders' },
      { name: 'TEAM', value: 'payments' },
    ]);
  });

  it('references secrets inside a mixed value through extra variables and $(NAME) expansion', () => {
    const objects = render(
      workload({
        containers: {
          api: {
            image: 'x:1',
            variables: {
              DATABASE_URL:
                'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}',
              PASSWORD_AGAIN: 'p=${resources.db.password}',
            },
          },
        },
        resources: { db: { type: 'postgres' } },
      }),
    );
    const env: any[] = containerOf(objects).env;
    const refs = env.filter(e => e.name.startsWith('__ref_'));
    // One carrier per Secret key, before the variables that expand it.
    expect(refs).toHaveLength(2);
    expect(env.slice(0, 2)).toEqual(refs);
    const carrier = (key: string) =>
      refs.find(r => r.valueFrom.secretKeyRef.key === key)!.name;
    expect(refs.map(r => r.valueFrom.secretKeyRef.name)).toEqual([
      'orders-db-credentials',
      'orders-db-credentials',
    ]);
    expect(env.find(e => e.name === 'DATABASE_URL')).toEqual({
      name: 'DATABASE_URL',
      value: `postgres://$(${carrier('username')}):$(${carrier(
        'password',
      )})@orders-db.dev-orders.svc:5432/orders`,
    });
    expect(env.find(e => e.name === 'PASSWORD_AGAIN').value).toBe(
      `p=$(${carrier('password')})`,
    );
    for (const e of env) {
      expect(e.value ?? '').not.toMatch(/orders-db-credentials/);
    }
  });

  it('names the variable of a placeholder it cannot resolve', () => {
    const w = workload({
      containers: {
        api: {
          image: 'x:1',
          variables: {
            A: '${resources.db.nope}',
            B: '${resources.cache.host}',
          },
        },
      },
      resources: { db: { type: 'postgres' } },
    });
    const error = renderError(w);
    expect(error.path).toBe('containers.api.variables.A');
    expect(error.message).toContain(
      "resource 'db' has no output 'nope' (it has database, host, password, port, username)",
    );
    const undeclared = renderError({
      ...w,
      containers: {
        api: { image: 'x:1', variables: { B: '${resources.cache.host}' } },
      },
    });
    expect(undeclared.path).toBe('containers.api.variables.B');
    expect(undeclared.message).toContain('does not declare');
    expect(
      renderError(
        workload({
          containers: { api: { image: 'x:1', variables: { C: '${nope}' } } },
        }),
      ).path,
    ).toBe('containers.api.variables.C');
  });

  it('resolves placeholders in command and args, secrets through $(NAME), Score escapes kept', () => {
    const objects = render(
      workload({
        containers: {
          api: {
            image: 'busybox:1.36',
            command: ['/bin/sh'],
            args: [
              '-c',
              'echo Hello from $${HOSTNAME} in ${metadata.name}; login ${resources.db.password}',
            ],
          },
        },
        resources: { db: { type: 'postgres' } },
      }),
    );
    const container = containerOf(objects);
    const ref = container.env[0];
    expect(ref.valueFrom.secretKeyRef).toEqual(SECRET);
    expect(container.command).toEqual(['/bin/sh']);
    expect(container.args).toEqual([
      '-c',
      `echo Hello from $\${HOSTNAME} in orders; login $(${ref.name})`,
    ]);
  });

  describe('files', () => {
    const filesWorkload = (files: any): ScoreWorkload =>
      workload({
        containers: { api: { image: 'x:1', files } },
        resources: { db: { type: 'postgres' } },
      });

    it('puts files in one ConfigMap mounted file by file, expanded unless noExpand, binary as binaryData', () => {
      const objects = render(
        filesWorkload({
          '/etc/app/config.yaml': {
            mode: '0644',
            content:
              'name: ${metadata.name}\ndb: ${resources.db.host}:${resources.db.port}\n',
          },
          '/etc/app/template.txt': {
            noExpand: true,
            content: 'kept: ${not.a.placeholder} $${x}',
          },
          '/etc/app/logo.bin': { binaryContent: 'aGVsbG8gd29ybGQ=' },
        }),
      );
      expect(objects.map(o => o.kind)).toEqual(['ConfigMap', 'Deployment']);
      const configMap = byKind(objects, 'ConfigMap');
      expect(configMap.metadata.name).toBe('orders-files');
      expect(configMap.metadata.labels['paved.dev/workload']).toBe('orders');
      const keys = Object.keys(configMap.data);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^api-config\.yaml-[0-9a-f]{8}$/);
      expect(configMap.data[keys[0]]).toBe(
        'name: orders\ndb: orders-db.dev-orders.svc:5432\n',
      );
      expect(configMap.data[keys[1]]).toBe('kept: ${not.a.placeholder} $${x}');
      const [binaryKey] = Object.keys(configMap.binaryData);
      expect(configMap.binaryData[binaryKey]).toBe('aGVsbG8gd29ybGQ=');

      const spec = deploymentOf(objects).spec.template.spec;
      expect(spec.volumes).toEqual([
        {
          name: 'files',
          configMap: {
            name: 'orders-files',
            items: [
              { key: keys[0], path: keys[0], mode: 0o644 },
              { key: keys[1], path: keys[1] },
              { key: binaryKey, path: binaryKey },
            ],
          },
        },
      ]);
      expect(spec.containers[0].volumeMounts).toEqual([
        {
          name: 'files',
          mountPath: '/etc/app/config.yaml',
          subPath: keys[0],
          readOnly: true,
        },
        {
          name: 'files',
          mountPath: '/etc/app/template.txt',
          subPath: keys[1],
          readOnly: true,
        },
        {
          name: 'files',
          mountPath: '/etc/app/logo.bin',
          subPath: binaryKey,
          readOnly: true,
        },
      ]);
    });

    it('rolls the pods when a file changes', () => {
      const checksum = (content: string) =>
        deploymentOf(render(filesWorkload({ '/a': { content } }))).spec.template
          .metadata.annotations['paved.dev/files-checksum'];
      expect(checksum('one')).toMatch(/^[0-9a-f]{16}$/);
      expect(checksum('one')).not.toBe(checksum('two'));
    });

    it('takes the deprecated array form', () => {
      const objects = render(
        filesWorkload([
          { target: '/mnt/some-path', content: 'my content here' },
        ]),
      );
      expect(Object.values(byKind(objects, 'ConfigMap').data)).toEqual([
        'my content here',
      ]);
      expect(containerOf(objects).volumeMounts[0].mountPath).toBe(
        '/mnt/some-path',
      );
    });

    it('refuses a secret in a file, files from source, bad base64, modes and targets, naming the field', () => {
      const secret = renderError(
        filesWorkload({
          '/ok': { content: 'fine' },
          '/etc/app/db.conf': {
            content: 'password=${resources.db.password}',
          },
        }),
      );
      expect(secret.path).toBe('containers.api.files[1].content');
      expect(secret.message).toContain('cannot be written into a file');
      expect(
        renderError(filesWorkload({ '/x': { source: 'nginx.conf' } })).path,
      ).toBe('containers.api.files[0].source');
      expect(
        renderError(filesWorkload({ '/x': { binaryContent: 'no!' } })).path,
      ).toBe('containers.api.files[0].binaryContent');
      expect(
        renderError(filesWorkload({ '/x': { content: 'a', mode: '0999' } }))
          .path,
      ).toBe('containers.api.files[0].mode');
      expect(
        renderError(filesWorkload([{ target: 'rel', content: 'a' }])).path,
      ).toBe('containers.api.files[0].target');
      expect(
        renderError(
          filesWorkload({ '/x': { content: '${resources.db.nope}' } }),
        ).path,
      ).toBe('containers.api.files[0].content');
    });
  });

  it('refuses volumes, saying they are not supported', () => {
    const error = renderError(
      workload({
        containers: {
          api: { image: 'x:1', volumes: { '/data': { source: 'vol' } } },
        },
      }),
    );
    expect(error.path).toBe('containers.api.volumes');
    expect(error.message).toContain('not supported');
  });

  describe('resources', () => {
    const resourcesOf = (resources: any) =>
      containerOf(
        render(workload({ containers: { api: { image: 'x:1', resources } } })),
      ).resources;

    it('takes what the workload says, else the defaults, never a request above its limit', () => {
      expect(
        resourcesOf({
          limits: { memory: '256Mi', cpu: '0.250' },
          requests: { memory: '64Mi', cpu: '25m' },
        }),
      ).toEqual({
        requests: { cpu: '25m', memory: '64Mi' },
        limits: { cpu: '0.250', memory: '256Mi' },
      });
      expect(
        resourcesOf({ limits: { memory: '32Mi' }, requests: { cpu: '2' } }),
      ).toEqual({
        requests: { cpu: '2', memory: '32Mi' },
        limits: { cpu: '2', memory: '32Mi' },
      });
    });

    it('refuses quantities Kubernetes would, and a request above its limit', () => {
      const at = (resources: any) =>
        renderError(
          workload({ containers: { api: { image: 'x:1', resources } } }),
        );
      expect(at({ limits: { cpu: 'lots' } }).path).toBe(
        'containers.api.resources.limits.cpu',
      );
      const above = at({
        requests: { memory: '1Gi' },
        limits: { memory: '128M' },
      });
      expect(above.path).toBe('containers.api.resources.requests.memory');
      expect(above.message).toContain('more than the limit');
    });
  });

  it('renders httpGet and exec probes; httpGet wins when both are given', () => {
    const container = containerOf(
      render(
        workload({
          containers: {
            api: {
              image: 'x:1',
              livenessProbe: {
                httpGet: {
                  host: '127.0.0.1',
                  scheme: 'HTTPS',
                  path: '/livez',
                  port: 8080,
                  httpHeaders: [{ name: 'Cookie', value: 'a=b' }],
                },
                exec: { command: ['/bin/true'] },
              },
              readinessProbe: {
                exec: { command: ['/bin/grpc_health_probe', '-addr=:8080'] },
              },
            },
          },
        }),
      ),
    );
    expect(container.livenessProbe).toEqual({
      httpGet: {
        host: '127.0.0.1',
        scheme: 'HTTPS',
        path: '/livez',
        port: 8080,
        httpHeaders: [{ name: 'Cookie', value: 'a=b' }],
      },
    });
    expect(container.readinessProbe).toEqual({
      exec: { command: ['/bin/grpc_health_probe', '-addr=:8080'] },
    });
    expect(
      renderError(
        workload({
          containers: { api: { image: 'x:1', livenessProbe: {} } },
        }),
      ).path,
    ).toBe('containers.api.livenessProbe');
  });

  describe('default probes', () => {
    const served = (overrides: Partial<ScoreWorkload> = {}) =>
      workload({
        service: {
          ports: {
            metrics: { port: 9000, protocol: 'UDP' },
            http: { port: 80, targetPort: 8080 },
          },
        },
        ...overrides,
      });

    it('checks the first TCP port of the serving container when it gives no probes', () => {
      const container = containerOf(render(served()));
      expect(container.readinessProbe).toEqual({
        tcpSocket: { port: 8080 },
        periodSeconds: 5,
      });
      expect(container.livenessProbe).toEqual({
        tcpSocket: { port: 8080 },
        periodSeconds: 10,
        initialDelaySeconds: 30,
      });
    });

    it("keeps the workload's own probe and fills only the missing one", () => {
      const container = containerOf(
        render(
          served({
            containers: {
              api: {
                image: 'x:1',
                readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              },
            },
          }),
        ),
      );
      expect(container.readinessProbe).toEqual({
        httpGet: { path: '/ready', port: 8080 },
      });
      expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    });

    it('gives them to the first ordinary container only, and none without ports or when off', () => {
      const objects = render(
        served({
          containers: {
            migrate: { image: 'migrate:1' },
            api: {
              image: 'x:1',
              before: { migrate: { ready: 'complete' } },
            },
            proxy: { image: 'proxy:1' },
          },
        }),
      );
      const pod = deploymentOf(objects).spec.template.spec;
      expect(pod.initContainers[0].readinessProbe).toBeUndefined();
      expect(pod.containers.map((c: any) => c.name)).toEqual(['api', 'proxy']);
      expect(pod.containers[0].readinessProbe).toBeDefined();
      expect(pod.containers[1].readinessProbe).toBeUndefined();

      expect(containerOf(render(workload())).readinessProbe).toBeUndefined();
      const off = containerOf(
        render(served(), {
          defaults: {
            ...DEFAULT_WORKLOAD_DEFAULTS,
            probes: {
              enabled: false,
              readinessPeriodSeconds: 5,
              livenessPeriodSeconds: 10,
              livenessInitialDelaySeconds: 30,
            },
          },
        }),
      );
      expect(off.readinessProbe).toBeUndefined();
      expect(off.livenessProbe).toBeUndefined();
    });
  });

  it('renders service.ports as a ClusterIP Service named after the workload', () => {
    const objects = render(
      workload({
        service: {
          ports: {
            www: { port: 8080, targetPort: 3001 },
            stream: { port: 19245, protocol: 'UDP' },
          },
        },
      }),
    );
    const service = byKind(objects, 'Service');
    expect(service.metadata.name).toBe('orders');
    expect(service.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'orders-service',
    );
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: {
        'app.kubernetes.io/name': 'orders',
        'app.kubernetes.io/instance': 'orders',
      },
      ports: [
        { name: 'www', port: 8080, targetPort: 3001, protocol: 'TCP' },
        { name: 'stream', port: 19245, targetPort: 19245, protocol: 'UDP' },
      ],
    });
  });

  it('refuses names Kubernetes would refuse', () => {
    expect(
      renderError(
        workload({
          service: { ports: { 'a-very-long-port-name': { port: 1 } } },
        }),
      ).path,
    ).toBe('service.ports.a-very-long-port-name');
    expect(
      renderError(
        workload({
          metadata: { name: '1orders' },
          service: { ports: { http: { port: 80 } } },
        }),
      ).message,
    ).toContain('starting with a letter');
    expect(renderError(workload({ metadata: { name: 'Orders' } })).path).toBe(
      'metadata.name',
    );
    expect(
      renderError(workload({ containers: { Api_1: { image: 'x' } } })).path,
    ).toBe('containers.Api_1');
  });

  describe('routes', () => {
    const routed = (routes: Record<string, any>) =>
      workload({
        service: { ports: { www: { port: 8080, targetPort: 3001 } } },
        resources: {
          dns: { type: 'dns' },
          ...Object.fromEntries(
            Object.entries(routes).map(([name, params]) => [
              name,
              { type: 'route', params },
            ]),
          ),
        },
      });
    const dns = { dns: { host: { value: 'orders.dev.example.test' } } };

    it('renders one Ingress with a rule per route, placeholders resolved', () => {
      const objects = render(
        routed({
          route: { host: '${resources.dns.host}', path: '/', port: 8080 },
          api: { host: 'api.example.test', path: '/v1', port: '8080' },
        }),
        {
          resources: dns,
          defaults: { ...DEFAULT_WORKLOAD_DEFAULTS, ingressClassName: 'nginx' },
        },
      );
      expect(objects.map(o => o.kind)).toEqual([
        'Deployment',
        'Service',
        'Ingress',
      ]);
      const ingress = byKind(objects, 'Ingress');
      expect(ingress.metadata.name).toBe('orders');
      const backend = { service: { name: 'orders', port: { number: 8080 } } };
      expect(ingress.spec).toEqual({
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'api.example.test',
            http: { paths: [{ path: '/v1', pathType: 'Prefix', backend }] },
          },
          {
            host: 'orders.dev.example.test',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
          },
        ],
      });
    });

    it('refuses a port the Service does not publish, a bad host or path, and secrets', () => {
      const port = renderError(
        routed({ route: { host: 'a.test', port: 9090 } }),
        {
          resources: dns,
        },
      );
      expect(port.path).toBe('resources.route.params.port');
      expect(port.message).toContain('not one of the workload');
      expect(
        renderError(routed({ route: { host: 'a b', port: 8080 } })).path,
      ).toBe('resources.route.params.host');
      expect(
        renderError(
          routed({ route: { host: 'a.test', path: 'v1', port: 8080 } }),
        ).path,
      ).toBe('resources.route.params.path');
      expect(
        renderError(
          routed({ route: { host: '${resources.db.password}', port: 8080 } }),
          {
            resources: { db: DB_OUTPUTS },
          },
        ).path,
      ).toBe('resources.route.params.host');
    });
  });

  it('runs containers others wait for before them: init containers and sidecars', () => {
    const spec = deploymentOf(
      render(
        workload({
          containers: {
            migrate: { image: 'migrate:1', args: ['up'] },
            proxy: { image: 'envoy:1' },
            api: {
              image: 'api:1',
              before: {
                migrate: { ready: 'complete' },
                proxy: { ready: 'started' },
              },
            },
          },
        }),
      ),
    ).spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api']);
    expect(
      spec.initContainers.map((c: any) => [c.name, c.restartPolicy]),
    ).toEqual([
      ['migrate', undefined],
      ['proxy', 'Always'],
    ]);
    expect(
      renderError(
        workload({
          containers: {
            api: { image: 'x', before: { db: { ready: 'started' } } },
          },
        }),
      ).path,
    ).toBe('containers.api.before.db');
  });

  it('copies the workload annotations onto the pods', () => {
    const deployment = deploymentOf(
      render(
        workload({
          metadata: { name: 'orders', annotations: { tags: 'go,backend' } },
        }),
      ),
    );
    expect(deployment.spec.template.metadata.annotations).toEqual({
      tags: 'go,backend',
    });
  });
});
