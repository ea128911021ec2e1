import fs from 'fs';
import path from 'path';
import { stringify } from 'yaml';
import {
  scoreWorkloadPlaceholders,
  formatScoreProblems,
  jsonPath,
  parseScoreWorkload,
  ScoreProblem,
} from './parseWorkload';

const FIXTURES = path.join(__dirname, '__fixtures__');
const fixtureNames = fs.readdirSync(FIXTURES).filter(f => f.endsWith('.yaml'));

function minimal(): any {
  return {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: 'orders' },
    containers: { main: { image: 'ghcr.io/acme/orders:1.0.0' } },
  };
}

function problemsOf(input: unknown): ScoreProblem[] {
  const result = parseScoreWorkload(input);
  if (result.ok)
    throw new Error('expected problems, the workload was accepted');
  return result.problems;
}

describe('parseScoreWorkload', () => {
  it('has 8 to 12 fixtures', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(8);
    expect(fixtureNames.length).toBeLessThanOrEqual(12);
  });

  it.each(fixtureNames)('accepts the fixture %s', name => {
    const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const result = parseScoreWorkload(text);
    expect(result).toMatchObject({ ok: true });
  });

  it('gives the workload of a YAML text as data', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'postgres.yaml'), 'utf8');
    const result = parseScoreWorkload(text);
    if (!result.ok) throw new Error(formatScoreProblems(result.problems));
    expect(result.workload.metadata.name).toBe('orders');
    expect(result.workload.resources?.db).toEqual({
      type: 'postgres',
      class: 'large',
      params: { version: 16, extensions: ['pgcrypto'] },
    });
    expect(result.workload.containers.api.variables?.POSTGRES_HOST).toBe(
      '${resources.db.host}',
    );
  });

  it('accepts parsed values and JSON text alike', () => {
    expect(parseScoreWorkload(minimal())).toEqual({
      ok: true,
      workload: minimal(),
    });
    expect(parseScoreWorkload(JSON.stringify(minimal()))).toEqual({
      ok: true,
      workload: minimal(),
    });
  });

  it('reports a YAML syntax error at $ with its line and column', () => {
    const problems = problemsOf(
      'apiVersion: score.dev/v1b1\nmetadata:\n  name: a\n  name: b\n',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('$');
    expect(problems[0].message).toMatch(/unique.*line 4, column 3/);
    expect(problemsOf('containers: [a, b\n')[0]).toMatchObject({
      path: '$',
      message: expect.stringMatching(/line \d+, column \d+/),
    });
  });

  it('refuses what is not an object', () => {
    expect(problemsOf('just text')).toEqual([
      { path: '$', message: 'must be object' },
    ]);
    expect(problemsOf(null)).toEqual([
      { path: '$', message: 'must be object' },
    ]);
  });

  it('names missing and unknown properties', () => {
    expect(problemsOf({ metadata: { name: 'ab' }, extra: 1 })).toEqual(
      expect.arrayContaining([
        { path: '$.apiVersion', message: 'is required' },
        { path: '$.containers', message: 'is required' },
        { path: '$.extra', message: 'is not allowed here' },
      ]),
    );
    const w = minimal();
    w.containers.main.ports = [80];
    delete w.containers.main.image;
    expect(problemsOf(w)).toEqual([
      { path: '$.containers.main.image', message: 'is required' },
      { path: '$.containers.main.ports', message: 'is not allowed here' },
    ]);
  });

  it('keeps unknown metadata keys, as the specification allows', () => {
    const w = minimal();
    w.metadata.team = 'payments';
    expect(parseScoreWorkload(w)).toMatchObject({ ok: true });
  });

  it('refuses bad names with the naming rule', () => {
    const w = minimal();
    w.metadata.name = 'Orders_Service';
    w.containers.Main = { image: 'nginx' };
    w.resources = { '-db': { type: 'postgres' } };
    w.containers.main.variables = { 'A=B': 'x' };
    const problems = problemsOf(w);
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: '$.metadata.name',
          message: expect.stringContaining("a-z, 0-9 and '-'"),
        },
        {
          path: '$.containers.Main',
          message: expect.stringMatching(/^name must be 2–63/),
        },
        {
          path: "$.resources['-db']",
          message: expect.stringMatching(/^name must be 2–63/),
        },
        {
          path: "$.containers.main.variables['A=B']",
          message: "name must be a non-empty name without '='",
        },
      ]),
    );
    // one problem per field, not one per failed keyword
    expect(problems.filter(p => p.path === '$.metadata.name')).toHaveLength(1);
  });

  it('explains patterns of compute resources, file modes and apiVersion', () => {
    const w = minimal();
    w.apiVersion = 'score.dev/v1';
    w.containers.main.resources = {
      limits: { cpu: '1.5m', memory: '1q' },
      requests: { cpu: 1 },
    };
    w.containers.main.files = { '/etc/x': { content: 'x', mode: '999' } };
    expect(problemsOf(w)).toEqual([
      { path: '$.apiVersion', message: 'must be score.dev/v1b1' },
      {
        path: "$.containers.main.files['/etc/x'].mode",
        message: 'must be an octal file mode, e.g. 0644',
      },
      {
        path: '$.containers.main.resources.limits.memory',
        message: 'must be bytes with an optional unit, e.g. 128M or 1.5Gi',
      },
      {
        path: '$.containers.main.resources.limits.cpu',
        message:
          'must be whole or fractional CPUs or milli-CPUs, e.g. 2, 0.5 or 250m',
      },
      {
        path: '$.containers.main.resources.requests.cpu',
        message: 'must be string',
      },
    ]);
  });

  it('wants exactly one source of a file, and no target in the map form', () => {
    const w = minimal();
    w.containers.main.files = {
      '/a': { content: 'x', source: 'a.txt' },
      '/b': { mode: '0600' },
      '/c': { target: '/c', content: 'x' },
    };
    expect(problemsOf(w)).toEqual([
      {
        path: "$.containers.main.files['/a']",
        message: 'must have exactly one of content, binaryContent or source',
      },
      {
        path: "$.containers.main.files['/b']",
        message: 'must have exactly one of content, binaryContent or source',
      },
      {
        path: "$.containers.main.files['/c'].target",
        message: 'is only allowed in the array form; the map key is the target',
      },
    ]);
  });

  it('checks items of the deprecated array forms', () => {
    const w = minimal();
    w.containers.main.volumes = [{ target: '/data' }];
    w.containers.main.files = 'nope';
    expect(problemsOf(w)).toEqual(
      expect.arrayContaining([
        { path: '$.containers.main.volumes[0].source', message: 'is required' },
        { path: '$.containers.main.files', message: 'must be array,object' },
      ]),
    );
  });

  it('wants probes with httpGet or exec, and valid ports', () => {
    const w = minimal();
    w.containers.main.livenessProbe = {};
    w.containers.main.readinessProbe = {
      httpGet: { path: '/', port: 0, scheme: 'FTP' },
    };
    w.service = { ports: { web: { port: 70000, protocol: 'SCTP' } } };
    expect(problemsOf(w)).toEqual(
      expect.arrayContaining([
        {
          path: '$.containers.main.livenessProbe',
          message: 'must have httpGet or exec',
        },
        {
          path: '$.containers.main.readinessProbe.httpGet.port',
          message: 'must be >= 1',
        },
        {
          path: '$.containers.main.readinessProbe.httpGet.scheme',
          message: 'must be one of HTTP, HTTPS',
        },
        { path: '$.service.ports.web.port', message: 'must be <= 65535' },
        {
          path: '$.service.ports.web.protocol',
          message: 'must be one of TCP, UDP',
        },
      ]),
    );
  });

  it('refuses an image that is neither . nor an image reference', () => {
    const w = minimal();
    w.containers.main.image = 'GHCR.io/Acme/Orders:latest';
    w.containers.side = { image: '.' };
    expect(problemsOf(w)).toEqual([
      {
        path: '$.containers.main.image',
        message: expect.stringContaining(
          "'GHCR.io/Acme/Orders:latest' is neither '.'",
        ),
      },
    ]);
  });

  it('refuses placeholders naming undeclared resources, wherever they are expanded', () => {
    const w = minimal();
    w.resources = {
      db: { type: 'postgres' },
      route: { type: 'route', params: { host: '${resources.dns.host}' } },
    };
    w.containers.main.variables = {
      DB_HOST: '${resources.db.host}',
      CACHE: '${resources.cache.host}:6379',
    };
    w.containers.main.command = ['/app', '${resources.queue.url}'];
    w.containers.main.args = ['--x', '$${resources.escaped.host}'];
    w.containers.main.files = {
      '/etc/a': { content: 'host=${resources.bucket.endpoint}' },
      '/etc/b': { content: '${resources.ignored.x}', noExpand: true },
    };
    w.containers.main.volumes = { '/data': { source: '${resources.data}' } };
    expect(problemsOf(w)).toEqual([
      {
        path: '$.containers.main.command[1]',
        message:
          "placeholder ${resources.queue.url} names resource 'queue', which the workload does not declare",
      },
      {
        path: '$.containers.main.variables.CACHE',
        message:
          "placeholder ${resources.cache.host} names resource 'cache', which the workload does not declare",
      },
      {
        path: "$.containers.main.files['/etc/a'].content",
        message:
          "placeholder ${resources.bucket.endpoint} names resource 'bucket', which the workload does not declare",
      },
      {
        path: "$.containers.main.volumes['/data'].source",
        message:
          "placeholder ${resources.data} names resource 'data', which the workload does not declare",
      },
      {
        path: '$.resources.route.params.host',
        message:
          "placeholder ${resources.dns.host} names resource 'dns', which the workload does not declare",
      },
    ]);
  });

  it('gives the message of the brief for a variable', () => {
    const w = minimal();
    w.containers.main.variables = { DB_HOST: '${resources.db.host}' };
    expect(formatScoreProblems(problemsOf(w))).toBe(
      "$.containers.main.variables.DB_HOST: placeholder ${resources.db.host} names resource 'db', which the workload does not declare",
    );
  });

  it('checks metadata placeholders and refuses other roots', () => {
    const w = minimal();
    w.metadata.annotations = { 'example.com/team': 'payments' };
    w.containers.main.variables = {
      NAME: '${metadata.name}',
      TEAM: '${metadata.annotations.example\\.com/team}',
      OWNER: '${metadata.owner}',
      HOME: '${env.HOME}',
      BARE: '${resources}',
    };
    expect(problemsOf(w)).toEqual([
      {
        path: '$.containers.main.variables.OWNER',
        message:
          "placeholder ${metadata.owner} names metadata 'owner', which the workload does not have",
      },
      {
        path: '$.containers.main.variables.HOME',
        message:
          "placeholder ${env.HOME} must start with 'metadata.' or 'resources.' (write $${ for a literal ${)",
      },
      {
        path: '$.containers.main.variables.BARE',
        message: 'placeholder ${resources} must name a resource',
      },
    ]);
  });

  it('refuses two service ports with the same number and protocol', () => {
    const w = minimal();
    w.service = {
      ports: {
        www: { port: 8080, targetPort: 3000 },
        web: { port: 8080, protocol: 'TCP' },
        dns: { port: 53, protocol: 'UDP' },
        'dns-tcp': { port: 53 },
      },
    };
    expect(problemsOf(w)).toEqual([
      {
        path: '$.service.ports.web.port',
        message: "port 8080/TCP is also the port of 'www'",
      },
    ]);
  });

  it('reports a duplicate port name in YAML as a YAML problem', () => {
    const text = `${stringify(
      minimal(),
    )}service:\n  ports:\n    web: {port: 80}\n    web: {port: 81}\n`;
    expect(problemsOf(text)).toEqual([
      {
        path: '$',
        message: expect.stringMatching(
          /^YAML: Map keys must be unique at line \d+, column \d+$/,
        ),
      },
    ]);
  });

  it('refuses before naming unknown containers or itself', () => {
    const w = minimal();
    w.containers.main.before = {
      migrate: { ready: 'complete' },
      main: { ready: 'started' },
    };
    expect(problemsOf(w)).toEqual([
      {
        path: '$.containers.main.before.migrate',
        message: "names container 'migrate', which the workload does not have",
      },
      {
        path: '$.containers.main.before.main',
        message: 'a container cannot wait for itself',
      },
    ]);
  });
});

describe('jsonPath', () => {
  it('uses dots for names, brackets for indexes and other keys', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['containers', 'my-app', 'args', 2])).toBe(
      '$.containers.my-app.args[2]',
    );
    expect(jsonPath(['files', "/it's"])).toBe("$.files['/it\\'s']");
  });
});

describe('scoreWorkloadPlaceholders', () => {
  it('lists the expanded placeholders with where they are', () => {
    const result = parseScoreWorkload(
      fs.readFileSync(path.join(FIXTURES, 'files.yaml'), 'utf8'),
    );
    if (!result.ok) throw new Error(formatScoreProblems(result.problems));
    expect(scoreWorkloadPlaceholders(result.workload)).toEqual([
      {
        raw: '${metadata.name}',
        path: ['metadata', 'name'],
        at: "$.containers.main.files['/etc/app/config.yaml'].content",
      },
      {
        raw: '${resources.cache.host}',
        path: ['resources', 'cache', 'host'],
        at: "$.containers.main.files['/etc/app/config.yaml'].content",
      },
      {
        raw: '${resources.cache.port}',
        path: ['resources', 'cache', 'port'],
        at: "$.containers.main.files['/etc/app/config.yaml'].content",
      },
    ]);
  });
});
