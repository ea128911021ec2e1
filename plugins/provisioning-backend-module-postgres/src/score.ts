import { JsonObject } from '@backstage/types';
import {
  ReferencedRequest,
  scoreClaimParameters,
  ScoreResources,
} from '@paved/plugin-provisioning-node';
import { postgresNames } from './names';
import { PostgresParameters } from './PostgresProvisioner';

/** The type's parameters a workload may set through `resources.<name>.params`. */
const SCORE_PARAMS = ['target', 'connectionLimit', 'environment'];

/**
 * The Secret a database's request delivered, as its outputs record it (the name
 * the steps give it when an older request has none).
 */
function secretOf(request: ReferencedRequest<PostgresParameters>): string {
  const { secretName } = request.outputs;
  return typeof secretName === 'string'
    ? secretName
    : postgresNames(request.name).secretName;
}

/**
 * The `postgres` type as Score's `postgres` resource: outputs named as score-k8s's
 * default provisioner names them (`host`, `port`, `name`, `database`, `username`,
 * `password`), plus `uri`. The password and the URI (which holds it) are keys of the
 * request's Secret, never values. The type has no size or plan, so only the `default`
 * class is taken; `params` may set the server, connection limit and environment.
 */
export function postgresScore(
  schema: JsonObject,
): ScoreResources<PostgresParameters> {
  return {
    types: ['postgres'],
    parameters: claim =>
      scoreClaimParameters(claim, { schema, params: SCORE_PARAMS }),
    outputs: request => {
      const { host, port, database, user } = request.outputs;
      const name = secretOf(request);
      const db = String(database ?? postgresNames(request.name).database);
      return {
        host: { value: String(host) },
        port: { value: Number(port) },
        name: { value: db },
        database: { value: db },
        username: {
          value: String(user ?? postgresNames(request.name).readWriteRole),
        },
        password: { secretKeyRef: { name, key: 'password' } },
        uri: { secretKeyRef: { name, key: 'uri' } },
      };
    },
  };
}
