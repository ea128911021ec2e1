#!/usr/bin/env node
// Writes the config files that `./paved start` loads on top of app-config.yaml. They are
// built as data and serialised with the `yaml` package, so every part lands under its
// own key, whatever else is written.
//
//   node scripts/write-portal-config.mjs portal --data DIR --out FILE [--status-file FILE]
//       [--idp-issuer URL --idp-secret-file FILE --idp-session-secret-file FILE]
//       absolute data paths, the catalog files, where the local cluster's status is, and
//       sign-in through the local identity provider (packages/local-idp) when it runs
//   node scripts/write-portal-config.mjs cluster --data DIR --out FILE
//       --k8s-url URL --k8s-ca-file FILE --k8s-token-file FILE
//       [--postgres-port PORT --postgres-password-file FILE]
//       [--rabbitmq-management-port PORT --rabbitmq-amqp-port PORT
//        --rabbitmq-user USER --rabbitmq-password-file FILE]
//       [--s3-port PORT --s3-admin-port PORT --s3-access-key KEY --s3-secret-file FILE]
//       the local Kubernetes cluster (and the private Postgres, RabbitMQ node and S3
//       server) for every plugin that acts there
//
// The cluster file is separate because only the backend loads it: the frontend's dev
// server reloads every open page when one of its config files changes, and the cluster
// joins a running portal (the backend restarts with this file; the frontend carries on).
// Secrets (the cluster token, the Postgres and RabbitMQ passwords, the S3 secret key, the
// local identity provider's client secret) are
// `$file` references that the config loader reads: their values never appear in a
// file, a log or `ps`.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Document } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function requireAbsolute(paths) {
  for (const [name, path] of Object.entries(paths)) {
    if (path !== undefined && !isAbsolute(path)) {
      throw new Error(`${name} must be an absolute path, got '${path}'`);
    }
  }
}

/** The portal's client id in the local identity provider (packages/local-idp). */
export const LOCAL_IDP_CLIENT_ID = 'paved-portal';

/**
 * The portal's part: what every local portal has, cluster or not.
 *
 * @param {{ root: string, data: string, statusFile?: string,
 *   idp?: { issuer: string, secretFile: string, sessionSecretFile: string } }} parts
 */
export function portalConfig({ root, data, statusFile, idp }) {
  requireAbsolute({
    root,
    data,
    statusFile,
    idpSecretFile: idp?.secretFile,
    idpSessionSecretFile: idp?.sessionSecretFile,
  });
  const config = {
    backend: {
      database: {
        client: 'better-sqlite3',
        connection: { directory: join(data, 'sqlite') },
      },
    },
    techdocs: {
      publisher: {
        type: 'local',
        local: { publishDirectory: join(data, 'techdocs') },
      },
    },
    catalog: {
      locations: [
        'catalog-info.yaml',
        'examples/org/all.yaml',
        'templates/all.yaml',
      ].map(file => ({ type: 'file', target: join(root, file) })),
    },
    // A local portal has one or two people: show the adoption dashboard's figures
    // for groups of any size (production keeps the default of 3).
    adoption: { minimumGroupSize: 1 },
    paved: {
      localRepositories: { directory: join(data, 'repositories') },
      ...(statusFile ? { localCluster: { statusFile } } : {}),
      // The sample organisation's golden-path services get local repositories (their
      // template's render plus a team edit), so that Propose upgrade has something
      // to merge. Needs no cluster.
      upgrades: { sampleRepositories: true },
    },
  };
  if (idp) {
    // The sample organisation's people sign in through the local identity provider,
    // matched to their catalog User by e-mail (someone not in the catalog is refused).
    // prompt: login asks for the password each time, so that one browser can switch
    // people. Beside guest, which stays for a quick look.
    config.auth = {
      // Backstage's OIDC provider keeps the sign-in's state and PKCE verifier in an
      // express session, which the auth backend only sets up with a session secret:
      // without it every sign-in fails with "authentication requires session support".
      session: { secret: { $file: idp.sessionSecretFile } },
      providers: {
        oidc: {
          development: {
            metadataUrl: `${idp.issuer}/.well-known/openid-configuration`,
            clientId: LOCAL_IDP_CLIENT_ID,
            clientSecret: { $file: idp.secretFile },
            prompt: 'login',
            signIn: {
              resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
            },
          },
        },
      },
    };
    config.paved.signIn = { providers: ['guest', 'oidc'] };
  }
  return config;
}

/**
 * The cluster's part: the local control plane for each plugin that acts there, as
 * the portal's own identity, and the private Postgres for self-service databases.
 *
 * @param {object} parts
 * @param {string} parts.data the data folder (database backups go there)
 * @param {{ url: string, caFile: string, tokenFile: string }} parts.kubernetes
 * @param {{ port: number, passwordFile: string }} [parts.postgres]
 * @param {{ managementPort: number, amqpPort: number, user: string, passwordFile: string }} [parts.rabbitmq]
 * @param {{ port: number, adminPort: number, accessKey: string, secretFile: string }} [parts.s3]
 */
export function clusterConfig({ data, kubernetes, postgres, rabbitmq, s3 }) {
  requireAbsolute({
    data,
    caFile: kubernetes.caFile,
    tokenFile: kubernetes.tokenFile,
    passwordFile: postgres?.passwordFile,
    rabbitmqPasswordFile: rabbitmq?.passwordFile,
    s3SecretFile: s3?.secretFile,
  });
  const access = () => ({
    url: kubernetes.url,
    caFile: kubernetes.caFile,
    serviceAccountToken: { $file: kubernetes.tokenFile },
  });
  const config = {
    paved: { runbooks: { kubernetes: access() } },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'local',
              title: 'Local control plane',
              ...access(),
              authProvider: 'serviceAccount',
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
    scorecard: { kubernetes: access() },
    provisioning: {
      environments: { kubernetes: access() },
      // Workloads (Score) deploy into the environments; the sample organisation
      // comes with a deployment history so that its DORA charts have a story.
      score: { kubernetes: access(), sampleHistory: true },
    },
  };
  if (postgres) {
    // The databases' Secrets go to the cluster, so this part needs it.
    config.provisioning.postgres = {
      targets: [
        {
          id: 'local',
          title: 'Local PostgreSQL (./paved start)',
          host: '127.0.0.1',
          port: postgres.port,
          adminUser: 'postgres',
          adminPassword: { $file: postgres.passwordFile },
          sslMode: 'disable',
          default: true,
        },
      ],
      backups: { store: { type: 'folder', path: join(data, 'backups') } },
      kubernetes: access(),
    };
  }
  if (rabbitmq) {
    // Each request's credentials go to a Secret in the cluster, as the databases' do.
    config.provisioning.rabbitmq = {
      managementUrl: `http://127.0.0.1:${rabbitmq.managementPort}`,
      adminUser: rabbitmq.user,
      adminPassword: { $file: rabbitmq.passwordFile },
      amqpHost: '127.0.0.1',
      amqpPort: rabbitmq.amqpPort,
      kubernetes: access(),
    };
  }
  if (s3) {
    config.provisioning.s3 = {
      endpoint: `http://127.0.0.1:${s3.port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: s3.accessKey,
      secretAccessKey: { $file: s3.secretFile },
      // versitygw makes each bucket's access key through its admin API.
      accessKeys: {
        type: 'versitygw',
        adminEndpoint: `http://127.0.0.1:${s3.adminPort}`,
      },
      kubernetes: access(),
    };
  }
  return config;
}

/** YAML text of a config, with a header that says where it comes from. */
export function toYaml(config, now = new Date()) {
  const document = new Document(config);
  document.commentBefore = ` Generated by ./paved start on ${now.toISOString()}; edits are overwritten.`;
  return document.toString();
}

const options = {
  data: { type: 'string' },
  out: { type: 'string' },
  'status-file': { type: 'string' },
  'idp-issuer': { type: 'string' },
  'idp-secret-file': { type: 'string' },
  'idp-session-secret-file': { type: 'string' },
  'k8s-url': { type: 'string' },
  'k8s-ca-file': { type: 'string' },
  'k8s-token-file': { type: 'string' },
  'postgres-port': { type: 'string' },
  'postgres-password-file': { type: 'string' },
  'rabbitmq-management-port': { type: 'string' },
  'rabbitmq-amqp-port': { type: 'string' },
  'rabbitmq-user': { type: 'string' },
  'rabbitmq-password-file': { type: 'string' },
  's3-port': { type: 'string' },
  's3-admin-port': { type: 'string' },
  's3-access-key': { type: 'string' },
  's3-secret-file': { type: 'string' },
};
// Optional servers: all of a group's options together, or none (the first one names
// the group in errors).
const groups = {
  idp: ['idp-issuer', 'idp-secret-file', 'idp-session-secret-file'],
  rabbitmq: [
    'rabbitmq-management-port',
    'rabbitmq-amqp-port',
    'rabbitmq-user',
    'rabbitmq-password-file',
  ],
  s3: ['s3-port', 's3-admin-port', 's3-access-key', 's3-secret-file'],
};
const allowed = {
  portal: ['data', 'out', 'status-file', ...groups.idp],
  cluster: [
    'data',
    'out',
    'k8s-url',
    'k8s-ca-file',
    'k8s-token-file',
    'postgres-port',
    'postgres-password-file',
    ...groups.rabbitmq,
    ...groups.s3,
  ],
};

/** An issuer URL as OpenID Connect wants it: http(s), no query or fragment, no trailing slash. */
function issuerUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--idp-issuer must be a URL, got '${value}'`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new Error(
      `--idp-issuer must be an http(s) URL without query or fragment, got '${value}'`,
    );
  }
  return value.replace(/\/+$/, '');
}

/**
 * The file to write and its config, from command-line arguments; throws naming the
 * argument that is wrong.
 */
export function configFromArgs(args) {
  const { values, positionals } = parseArgs({
    args,
    options,
    strict: true,
    allowPositionals: true,
  });
  const [kind, ...extra] = positionals;
  if (!allowed[kind] || extra.length > 0) {
    throw new Error(
      `say which file to write: 'portal' or 'cluster' (got '${positionals.join(
        ' ',
      )}')`,
    );
  }
  for (const name of Object.keys(values)) {
    if (!allowed[kind].includes(name)) {
      throw new Error(`--${name} does not apply to the ${kind} file`);
    }
  }
  const required = name => {
    if (!values[name]) throw new Error(`--${name} is required`);
    return values[name];
  };
  const absolute = name =>
    values[name] === undefined ? undefined : resolve(values[name]);
  const port = name => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new Error(`--${name} must be a TCP port, got '${values[name]}'`);
    }
    return value;
  };
  /** Whether a group's options are given; throws when only some of them are. */
  const group = names => {
    const given = names.filter(name => values[name] !== undefined);
    if (given.length === 0) return false;
    const missing = names.find(name => !values[name]);
    if (missing) {
      throw new Error(`--${given[0]} needs --${missing}`);
    }
    return true;
  };

  const out = resolve(required('out'));
  const data = resolve(required('data'));
  if (kind === 'portal') {
    return {
      out,
      config: portalConfig({
        root: repoRoot,
        data,
        statusFile: absolute('status-file'),
        idp: group(groups.idp)
          ? {
              issuer: issuerUrl(values['idp-issuer']),
              secretFile: absolute('idp-secret-file'),
              sessionSecretFile: absolute('idp-session-secret-file'),
            }
          : undefined,
      }),
    };
  }
  const kubernetes = {
    url: required('k8s-url'),
    caFile: resolve(required('k8s-ca-file')),
    tokenFile: resolve(required('k8s-token-file')),
  };
  let postgres;
  if (values['postgres-port'] !== undefined) {
    postgres = {
      port: port('postgres-port'),
      passwordFile: resolve(required('postgres-password-file')),
    };
  } else if (values['postgres-password-file'] !== undefined) {
    throw new Error('--postgres-password-file needs --postgres-port');
  }
  const rabbitmq = group(groups.rabbitmq)
    ? {
        managementPort: port('rabbitmq-management-port'),
        amqpPort: port('rabbitmq-amqp-port'),
        user: values['rabbitmq-user'],
        passwordFile: absolute('rabbitmq-password-file'),
      }
    : undefined;
  const s3 = group(groups.s3)
    ? {
        port: port('s3-port'),
        adminPort: port('s3-admin-port'),
        accessKey: values['s3-access-key'],
        secretFile: absolute('s3-secret-file'),
      }
    : undefined;
  return {
    out,
    config: clusterConfig({ data, kubernetes, postgres, rabbitmq, s3 }),
  };
}

/** Writes the file atomically: a starting backend never reads half of it. */
export function writePortalConfig(args) {
  const { out, config } = configFromArgs(args);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, toYaml(config));
  renameSync(tmp, out);
  return out;
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  try {
    writePortalConfig(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`write-portal-config: ${error.message}\n`);
    process.exit(2);
  }
}
