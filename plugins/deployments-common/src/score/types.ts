/**
 * The Score workload specification, version `score.dev/v1b1`, as TypeScript types.
 * They mirror the published JSON Schema (see `./schema.ts`); a document that passes
 * `parseScoreWorkload` has this shape.
 */

/** @public */
export type ScoreApiVersion = 'score.dev/v1b1';

/**
 * `metadata` of a workload: `name` (an RFC 1123 label) and annotations; other keys
 * are allowed by the specification and kept as they are.
 *
 * @public
 */
export interface ScoreWorkloadMetadata {
  name: string;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** @public */
export type ScoreProtocol = 'TCP' | 'UDP';

/** A port the workload's service publishes (`service.ports.<name>`). @public */
export interface ScoreServicePort {
  /** The port other workloads connect to. */
  port: number;
  /** Defaults to TCP. */
  protocol?: ScoreProtocol;
  /** The container's port; defaults to `port`. */
  targetPort?: number;
}

/** @public */
export interface ScoreService {
  ports?: Record<string, ScoreServicePort>;
}

/** CPU and memory, Kubernetes quantity syntax (e.g. `250m`, `128Mi`). @public */
export interface ScoreResourcesLimits {
  cpu?: string;
  memory?: string;
}

/** @public */
export interface ScoreContainerResources {
  limits?: ScoreResourcesLimits;
  requests?: ScoreResourcesLimits;
}

/**
 * A file mounted into a container. Exactly one of `content`, `binaryContent` or
 * `source` is given; `target` only in the deprecated array form.
 *
 * @public
 */
export interface ScoreContainerFile {
  /** Deprecated: only in the array form of `files`. */
  target?: string;
  /** Octal, e.g. `0600`. */
  mode?: string;
  /** A path relative to the Score file, or absolute. */
  source?: string;
  /** Inline UTF-8 content; placeholders are expanded unless `noExpand`. */
  content?: string;
  /** Inline base64 content; never expanded. */
  binaryContent?: string;
  noExpand?: boolean;
}

/** A volume mounted into a container. @public */
export interface ScoreContainerVolume {
  /** The external volume (usually a placeholder of a volume resource). */
  source: string;
  /** A sub path in the volume. */
  path?: string;
  /** Deprecated: only in the array form of `volumes`. */
  target?: string;
  readOnly?: boolean;
}

/** @public */
export interface ScoreHttpHeader {
  name: string;
  value: string;
}

/** @public */
export interface ScoreHttpProbe {
  host?: string;
  scheme?: 'HTTP' | 'HTTPS';
  path: string;
  port: number;
  httpHeaders?: ScoreHttpHeader[];
}

/** @public */
export interface ScoreExecProbe {
  command: string[];
}

/** A liveness or readiness probe: `httpGet`, `exec` or both. @public */
export interface ScoreProbe {
  httpGet?: ScoreHttpProbe;
  exec?: ScoreExecProbe;
}

/** @public */
export type ScoreReadyCondition = 'started' | 'healthy' | 'complete';

/** A container of the workload (`containers.<name>`). @public */
export interface ScoreContainer {
  /** An image reference, or `.` for "the image being deployed". */
  image: string;
  command?: string[];
  args?: string[];
  variables?: Record<string, string>;
  /** By target path; the array form (with `target`) is deprecated. */
  files?: Record<string, ScoreContainerFile> | ScoreContainerFile[];
  /** By target path; the array form (with `target`) is deprecated. */
  volumes?: Record<string, ScoreContainerVolume> | ScoreContainerVolume[];
  /** Containers to start before this one, and how far. */
  before?: Record<string, { ready: ScoreReadyCondition }>;
  resources?: ScoreContainerResources;
  livenessProbe?: ScoreProbe;
  readinessProbe?: ScoreProbe;
}

/** @public */
export interface ScoreResourceMetadata {
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A resource the workload depends on (`resources.<name>`). @public */
export interface ScoreResource {
  /** e.g. `postgres`, `amqp`, `s3`, `dns`, `route`, `service`, `environment`. */
  type: string;
  /** A specialisation of the type, e.g. `large`. */
  class?: string;
  /** Shared across workloads: same type, class and id is the same resource. */
  id?: string;
  metadata?: ScoreResourceMetadata;
  params?: Record<string, unknown>;
}

/**
 * A Score workload (`score.yaml`).
 *
 * @public
 */
export interface ScoreWorkload {
  apiVersion: ScoreApiVersion;
  metadata: ScoreWorkloadMetadata;
  service?: ScoreService;
  containers: Record<string, ScoreContainer>;
  resources?: Record<string, ScoreResource>;
}
