/**
 * The JSON Schema of a Score workload, specification version `score.dev/v1b1`.
 *
 * Written field by field from the published schema, score-spec/spec
 * `score-v1b1.json` at commit 1c2427db4e1c96e05956e0546e767fc994a5421d (2026-07-20),
 * so that validation needs no network and no copy of the file. It accepts what that
 * schema accepts; two constructs are restated to give readable errors:
 * - `files` / `volumes` are "an array (deprecated) or a map by target path" as an
 *   `if`/`then`/`else` on the type instead of a `oneOf` (same documents accepted,
 *   but a wrong map entry is reported once, not once per branch);
 * - the deprecated `target` inside the map form is refused with `not: required`
 *   exactly as the spec does.
 * Keep it in step with the spec when Score publishes a new version.
 */

/** RFC 1123 label of 2–63 characters: names of containers, resources, ports, the workload. */
const LABEL_NAME = {
  minLength: 2,
  maxLength: 63,
  pattern: '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$',
} as const;
const RFC1123_LABEL = { type: 'string', ...LABEL_NAME } as const;

/** An annotation key: an optional DNS-subdomain prefix and `/`, then a name. */
const ANNOTATIONS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  propertyNames: {
    minLength: 2,
    maxLength: 316,
    pattern:
      '^(([a-z0-9][a-z0-9-]{0,61}[a-z0-9])(\\.[a-z0-9][a-z0-9-]{0,61}[a-z0-9])*/)?[A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]$',
  },
} as const;

const PORT_NUMBER = { type: 'integer', minimum: 1, maximum: 65535 } as const;

/** Resource type and class: like a label, but upper case is allowed. */
const TYPE_NAME = {
  type: 'string',
  minLength: 2,
  maxLength: 63,
  pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$',
} as const;

const SERVICE_PORT = {
  type: 'object',
  required: ['port'],
  additionalProperties: false,
  properties: {
    port: PORT_NUMBER,
    protocol: { type: 'string', enum: ['TCP', 'UDP'] },
    targetPort: PORT_NUMBER,
  },
} as const;

const RESOURCE = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: TYPE_NAME,
    class: TYPE_NAME,
    id: {
      type: 'string',
      minLength: 2,
      maxLength: 63,
      // dot-separated labels, each of a-z0-9 with inner runs of '-'
      pattern: '^[a-z0-9]+(?:-+[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-+[a-z0-9]+)*)*$',
    },
    metadata: {
      type: 'object',
      additionalProperties: true,
      properties: { annotations: ANNOTATIONS },
    },
    params: { type: 'object', additionalProperties: true },
  },
} as const;

const COMPUTE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // bytes with an optional decimal or binary suffix: 125M, 1.5Gi
    memory: {
      type: 'string',
      pattern:
        '^(0\\.\\d+|[1-9]\\d*(\\.\\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$',
    },
    // whole or fractional CPUs, or milli-CPUs: 2, 0.5, 125m
    cpu: { type: 'string', pattern: '^\\d+(?:m|\\.\\d+)?$' },
  },
} as const;

const CONTAINER_FILE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { type: 'string', minLength: 1, deprecated: true },
    mode: { type: 'string', pattern: '^0?[0-7]{3}$' },
    source: { type: 'string', minLength: 1 },
    content: { type: 'string' },
    binaryContent: { type: 'string' },
    noExpand: { type: 'boolean' },
  },
  // exactly one way of giving the content
  oneOf: [
    { required: ['content'] },
    { required: ['binaryContent'] },
    { required: ['source'] },
  ],
} as const;

const CONTAINER_VOLUME = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: { type: 'string' },
    path: { type: 'string' },
    target: { type: 'string', deprecated: true },
    readOnly: { type: 'boolean' },
  },
} as const;

/** No `target` inside the map form: the map key is the target. */
const NO_TARGET = { not: { type: 'object', required: ['target'] } } as const;

/** An array (deprecated form, items with `target`) or a map by target path. */
function arrayOrMapByTarget<T extends object>(item: T) {
  return {
    type: ['array', 'object'],
    if: { type: 'array' },
    then: { items: item },
    else: { additionalProperties: { allOf: [NO_TARGET, item] } },
  } as const;
}

const PROBE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    httpGet: {
      type: 'object',
      additionalProperties: false,
      required: ['port', 'path'],
      properties: {
        host: { type: 'string', minLength: 1 },
        scheme: { type: 'string', enum: ['HTTP', 'HTTPS'] },
        path: { type: 'string' },
        port: PORT_NUMBER,
        httpHeaders: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'value'],
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
              value: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
    exec: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: { command: { type: 'array', items: { type: 'string' } } },
    },
  },
  anyOf: [{ required: ['httpGet'] }, { required: ['exec'] }],
} as const;

const STRINGS = { type: 'array', items: { type: 'string' } } as const;

const CONTAINER = {
  type: 'object',
  required: ['image'],
  additionalProperties: false,
  properties: {
    image: { type: 'string', minLength: 1 },
    command: STRINGS,
    args: STRINGS,
    variables: {
      type: 'object',
      propertyNames: { minLength: 1, pattern: '^[^=]+$' },
      additionalProperties: { type: 'string' },
    },
    files: arrayOrMapByTarget(CONTAINER_FILE),
    volumes: arrayOrMapByTarget(CONTAINER_VOLUME),
    before: {
      type: 'object',
      propertyNames: LABEL_NAME,
      additionalProperties: {
        type: 'object',
        required: ['ready'],
        additionalProperties: false,
        properties: {
          ready: { type: 'string', enum: ['started', 'healthy', 'complete'] },
        },
      },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: { limits: COMPUTE, requests: COMPUTE },
    },
    livenessProbe: PROBE,
    readinessProbe: PROBE,
  },
} as const;

/**
 * The Score v1b1 workload schema (JSON Schema draft 2020-12).
 *
 * @public
 */
export const SCORE_V1B1_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://score.dev/schemas/score',
  title: 'Score workload (score.dev/v1b1)',
  type: 'object',
  required: ['apiVersion', 'metadata', 'containers'],
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string', pattern: '^score\\.dev/v1b1$' },
    metadata: {
      type: 'object',
      required: ['name'],
      // other keys are allowed and kept
      additionalProperties: true,
      properties: { name: RFC1123_LABEL, annotations: ANNOTATIONS },
    },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ports: {
          type: 'object',
          propertyNames: LABEL_NAME,
          additionalProperties: SERVICE_PORT,
        },
      },
    },
    containers: {
      type: 'object',
      minProperties: 1,
      propertyNames: LABEL_NAME,
      additionalProperties: CONTAINER,
    },
    resources: {
      type: 'object',
      propertyNames: LABEL_NAME,
      additionalProperties: RESOURCE,
    },
  },
} as const;
