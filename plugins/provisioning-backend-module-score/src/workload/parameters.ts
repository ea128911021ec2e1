import { JsonObject } from '@backstage/types';
import {
  DeploymentKind,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { environmentNameSchema } from '@paved/plugin-provisioning-node';

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

/** What a deployment rolls out: the version and the workload at that version. */
export interface WorkloadVersion extends JsonObject {
  /** The image replacing `.` in the workload's containers; `.` when none does. */
  image: string;
  gitRef?: string;
  /** ISO 8601. */
  commitTime?: string;
  /** The Score workload, as JSON. */
  workload: JsonObject;
  kind?: DeploymentKind;
  /** The deployment a promotion copied. */
  promotedFrom?: string;
}

/**
 * Where a workload copied with its environment came from: the source environment
 * and the names of the requests that served the source's resources. The copy's
 * resources are named from them (`copyResourceName`), which is how the copy finds
 * them when the names were cut with a hash and do not line up with its own.
 */
export interface CopiedFrom extends JsonObject {
  environment: string;
  /** The source's request name serving each resource, by resource name. */
  resources: Record<string, string>;
}

/** The parameters of a `workload` request: its first deployment. */
export interface WorkloadParameters extends WorkloadVersion {
  component: string;
  environmentName: string;
  /** Set on the copy of a workload that a copy of its environment made. */
  copiedFrom?: CopiedFrom;
}

/** The Score workload of parameters or an action's input, once checked. */
export const scoreWorkloadOf = (version: WorkloadVersion) =>
  version.workload as unknown as ScoreWorkload;

/** The properties a version has, in the request's parameters and the `deploy` action's input. */
export const versionProperties: Record<string, JsonObject> = {
  image: {
    type: 'string',
    title: 'Image',
    description:
      "The OCI image reference deployed (e.g. ghcr.io/acme/orders:1.4.2): it replaces every container image written '.' in the workload. '.' deploys the images the workload names.",
    minLength: 1,
    maxLength: 512,
  },
  gitRef: {
    type: 'string',
    title: 'Git ref',
    description: 'The commit or tag the image was built from.',
    minLength: 1,
    maxLength: 255,
  },
  commitTime: {
    type: 'string',
    format: 'date-time',
    title: 'Commit time',
    description:
      "When the change was committed, as CI reports it: the delivery figures' lead time starts there.",
  },
  workload: {
    type: 'object',
    title: 'Score workload',
    description:
      'The Score workload (score.yaml, apiVersion score.dev/v1b1) as JSON: containers, service ports and resources. Its resources are made in the environment (or reused) and wired in.',
  },
  kind: {
    type: 'string',
    enum: ['deploy', 'promotion', 'rollback'],
    default: 'deploy',
    title: 'Kind',
    description: 'What made the deployment, for the delivery figures.',
  },
  promotedFrom: {
    type: 'string',
    title: 'Promoted from',
    description: 'For a promotion: the deployment (id) it copies.',
    maxLength: 36,
  },
};

/** The JSON Schema of a `workload` request's parameters. */
export const workloadParametersSchema: JsonObject = {
  type: 'object',
  additionalProperties: false,
  required: ['component', 'environmentName', 'image', 'workload'],
  properties: {
    component: {
      type: 'string',
      title: 'Component',
      description:
        'The component (entity ref, component:[namespace/]name) the workload is the running form of.',
      pattern: COMPONENT_REF,
    },
    environmentName: {
      ...environmentNameSchema('workload'),
      title: 'Environment',
      description:
        "The environment (an environment request) the workload runs in: its objects go into the environment's namespace, its resources are attached to it, and deleting the environment deletes the workload.",
    },
    ...versionProperties,
    copiedFrom: {
      type: 'object',
      title: 'Copied from',
      description:
        "Set by a copy of an environment on the workloads it copies: the source environment and the names of the requests serving the source's resources, whose copies this workload uses.",
      additionalProperties: false,
      required: ['environment', 'resources'],
      properties: {
        environment: {
          type: 'string',
          title: 'Source environment',
          description: 'The environment the workload was copied from.',
          maxLength: 63,
        },
        resources: {
          type: 'object',
          title: 'Source resources',
          description:
            "The request name that served each of the source's resources, by resource name.",
          additionalProperties: { type: 'string', maxLength: 63 },
        },
      },
    },
  },
};

/** The JSON Schema of the `deploy` action's input. */
export const deployInputSchema: JsonObject = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'workload'],
  properties: versionProperties,
};

/** The JSON Schema of the `rollback` action's input. */
export const rollbackInputSchema: JsonObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    to: {
      type: 'string',
      title: 'Deployment',
      description:
        'The deployment (id) whose version is put back; the one before the running one if absent.',
      maxLength: 36,
    },
  },
};
