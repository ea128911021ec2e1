import { parseEntityRef } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import { V1Secret } from '@kubernetes/client-node';
import { JsonObject } from '@backstage/types';
import {
  generatePassword,
  NonRetryableError,
  redactError,
  ResourceTypeAction,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { scramSha256Verifier } from './credentials';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { PostgresAdmin } from './PostgresAdmin';

/*
 * What the `postgres` and `postgres-read-access` types share: the admin of a request's
 * target, and a login role's credentials delivered as a Kubernetes Secret.
 */

/** The admin of a configured target; a NonRetryableError when it is not configured. */
export function adminOf(
  admins: Map<string, PostgresAdmin>,
  target: unknown,
): PostgresAdmin {
  const admin = typeof target === 'string' ? admins.get(target) : undefined;
  if (!admin) {
    throw new NonRetryableError(
      `Target '${String(
        target,
      )}' is not configured (provisioning.postgres.targets); add it back to manage this database`,
    );
  }
  return admin;
}

/** The request a Secret belongs to, as its labels and annotations name it. */
export interface SecretRequest {
  id: string;
  name: string;
  owner: string;
}

/**
 * A Secret with a login role's connection details (`host`, `port`, `database`, `user`,
 * `password`, `uri`), labelled and annotated back to the request's catalog entity.
 */
export function connectionSecret(options: {
  name: string;
  namespace: string;
  admin: PostgresAdmin;
  database: string;
  user: string;
  password: string;
  request: SecretRequest;
  resourceType: string;
  /** The component that uses it: `backstage.io/kubernetes-id` names it. */
  component?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): V1Secret {
  const { admin, database, user, password, request, component } = options;
  const { connectionHost: host, connectionPort: port } = admin.target;
  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(
    password,
  )}@${uriHost}:${port}/${encodeURIComponent(database)}`;
  const data = { host, port: String(port), database, user, password, uri };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        [MANAGED_BY_LABEL]: 'paved',
        'paved.dev/request-id': request.id,
        'paved.dev/resource-type': options.resourceType,
        ...options.labels,
      },
      annotations: {
        'paved.dev/entity-ref': `resource:default/${request.name}`,
        'paved.dev/owner': request.owner,
        'paved.dev/postgres-target': admin.target.id,
        ...(component
          ? { 'backstage.io/kubernetes-id': parseEntityRef(component).name }
          : {}),
        ...options.annotations,
      },
    },
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

/**
 * A new password for a login role, set in PostgreSQL and written to its Secret in one
 * step; returns the Secret's uid. The password is never checkpointed, output or
 * logged: a retry makes a new one, which converges on the same result. Errors never
 * carry it.
 */
export async function issueCredentials(options: {
  admin: PostgresAdmin;
  secrets: SecretWriter;
  role: string;
  requestId: string;
  namespace: string;
  secret: (password: string) => V1Secret;
  signal?: AbortSignal;
  /** Whether to make the namespace when it is missing (a team's); true if absent. */
  createNamespace?: boolean;
}): Promise<string> {
  const { admin, secrets, role, requestId, namespace, signal } = options;
  const password = generatePassword();
  try {
    if (options.createNamespace !== false) {
      await secrets.ensureNamespace(namespace);
    }
    await admin.setPassword({
      role,
      requestId,
      verifier: scramSha256Verifier(password),
      signal,
    });
    return await secrets.applySecret(options.secret(password));
  } catch (error) {
    throw redactError(error, [password]);
  }
}

/** Deletes the Secret a request made (by its uid), when it made one, and says what happened. */
export async function deleteConnectionSecret(options: {
  secrets: SecretWriter;
  name: string;
  namespace: string;
  uid: unknown;
  logger: LoggerService;
}): Promise<void> {
  const { name, namespace, uid, logger } = options;
  if (typeof uid !== 'string' || !uid) {
    return;
  }
  const result = await options.secrets.deleteSecret({ name, namespace, uid });
  logger.info(
    result === 'replaced'
      ? `Secret '${namespace}/${name}' is no longer the one provisioning made; left it alone`
      : `Secret '${namespace}/${name}' is ${result}`,
  );
}

/** The `rotate-credentials` action of a type whose login role has a Secret. */
export function rotateCredentialsAction<TParams extends JsonObject>(
  run: ResourceTypeAction<TParams>['run'],
): ResourceTypeAction<TParams> {
  return {
    title: 'Rotate credentials',
    description:
      'Sets a new password for the login role and writes it to the Secret. The old password stops working at once; open connections stay open.',
    parameters: {
      type: 'object',
      properties: {},
      additionalProperties: false,
    },
    run,
  };
}

/** Stores the outputs that changed. */
export async function setOutputs(
  ctx: {
    outputs: Record<string, unknown>;
    setOutput(name: string, value: string | number): Promise<void>;
  },
  outputs: Record<string, string | number>,
): Promise<void> {
  for (const [name, value] of Object.entries(outputs)) {
    if (ctx.outputs[name] !== value) {
      await ctx.setOutput(name, value);
    }
  }
}
