import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { redactError } from '../credentials';
import { SecretWriter } from './SecretWriter';

/*
 * The Secret a request delivers its credentials in, the same for every resource type:
 * how it is labelled back to the request, written together with the credentials it
 * holds, and deleted.
 */

/**
 * The request a Secret belongs to, as its labels and annotations name it.
 *
 * @public
 */
export interface SecretRequest {
  id: string;
  name: string;
  owner: string;
}

/**
 * Where a request's Secret goes and whose it is: what every type's Secret builder
 * takes besides the data it holds.
 *
 * @public
 */
export interface SecretOptions {
  name: string;
  namespace: string;
  request: SecretRequest;
  resourceType: string;
  /** The component that uses it, as an entity ref. */
  component?: string;
  /** More labels; those whose value is undefined are left out. */
  labels?: Record<string, string | undefined>;
  annotations?: Record<string, string>;
}

/**
 * A request's Secret with `data` (base64-encoded here), labelled as Paved's and as the
 * request's (`paved.dev/request-id`, `paved.dev/resource-type`) and annotated with its
 * catalog entity, its owner and the component that uses it
 * (`backstage.io/kubernetes-id`, which puts the Secret on the component's Kubernetes
 * tab).
 *
 * @public
 */
export function requestSecret(
  options: SecretOptions & {
    /** What applications read: each key's value in plain text. */
    data: Record<string, string>;
  },
): V1Secret {
  const { request, component } = options;
  const labels = Object.fromEntries(
    Object.entries(options.labels ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
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
        ...labels,
      },
      annotations: {
        'paved.dev/entity-ref': `resource:default/${request.name}`,
        'paved.dev/owner': request.owner,
        ...(component
          ? { 'backstage.io/kubernetes-id': parseEntityRef(component).name }
          : {}),
        ...options.annotations,
      },
    },
    data: Object.fromEntries(
      Object.entries(options.data).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

/**
 * Issues new credentials (`issue`: a password set on the server, an access key) and
 * writes them to the request's Secret in one step; returns them with the Secret's uid.
 * The namespace is made first, so that a namespace that cannot be made leaves the old
 * credentials working. Credentials are never checkpointed, output or logged: a retry
 * issues new ones, which converges on the same result. Errors never carry
 * `secretValues` (`issue` keeps its own errors clean, see `issueNewPassword`).
 *
 * @public
 */
export async function deliverCredentials<TCredentials>(options: {
  secrets: SecretWriter;
  namespace: string;
  /** Whether to make the namespace when it is missing: a team's, never an environment's. */
  createNamespace: boolean;
  issue: () => Promise<TCredentials>;
  /** The values of the credentials that must not reach an error. */
  secretValues: (credentials: TCredentials) => string[];
  secret: (credentials: TCredentials) => V1Secret;
}): Promise<{ credentials: TCredentials; secretUid: string }> {
  const { secrets, namespace } = options;
  if (options.createNamespace) {
    await secrets.ensureNamespace(namespace);
  }
  const credentials = await options.issue();
  try {
    const secretUid = await secrets.applySecret(options.secret(credentials));
    return { credentials, secretUid };
  } catch (error) {
    throw redactError(error, options.secretValues(credentials));
  }
}

/**
 * Deletes the Secret a request made (by the uid it recorded), when it made one, and
 * logs what happened; a Secret that is another object by now is left alone.
 *
 * @public
 */
export async function deleteRequestSecret(options: {
  secrets: SecretWriter;
  name: string;
  namespace: string;
  /** The recorded `secretUid` output: nothing is deleted without one. */
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
