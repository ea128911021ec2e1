import { V1Secret } from '@kubernetes/client-node';
import { JsonObject } from '@backstage/types';
import {
  deliverCredentials,
  issueNewPassword,
  NonRetryableError,
  requestSecret,
  ResourceTypeAction,
  SecretOptions,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { scramSha256Verifier } from './credentials';
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

/**
 * A Secret with a login role's connection details (`host`, `port`, `database`, `user`,
 * `password`, `uri`), labelled and annotated back to the request's catalog entity.
 */
export function connectionSecret(
  options: SecretOptions & {
    admin: PostgresAdmin;
    database: string;
    user: string;
    password: string;
  },
): V1Secret {
  const { admin, database, user, password, ...secret } = options;
  const { connectionHost: host, connectionPort: port } = admin.target;
  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(
    password,
  )}@${uriHost}:${port}/${encodeURIComponent(database)}`;
  return requestSecret({
    ...secret,
    annotations: {
      'paved.dev/postgres-target': admin.target.id,
      ...secret.annotations,
    },
    data: { host, port: String(port), database, user, password, uri },
  });
}

/**
 * A new password for a login role, set in PostgreSQL and written to its Secret in one
 * step (see `deliverCredentials`); returns the Secret's uid.
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
  const { admin, role, requestId, signal } = options;
  const { secretUid } = await deliverCredentials({
    secrets: options.secrets,
    namespace: options.namespace,
    createNamespace: options.createNamespace !== false,
    issue: () =>
      issueNewPassword(password =>
        admin.setPassword({
          role,
          requestId,
          verifier: scramSha256Verifier(password),
          signal,
        }),
      ),
    secretValues: password => [password],
    secret: options.secret,
  });
  return secretUid;
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
