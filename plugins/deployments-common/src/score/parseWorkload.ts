import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { parseDocument } from 'yaml';
import { isImageReference } from './imageReference';
import { findPlaceholders, FoundPlaceholder } from './placeholders';
import { SCORE_V1B1_SCHEMA } from './schema';
import {
  ScoreContainerFile,
  ScoreContainerVolume,
  ScoreWorkload,
} from './types';

/**
 * What is wrong with a Score workload, at a JSON path such as
 * `$.containers.main.image` (`$` for the document itself).
 *
 * @public
 */
export interface ScoreProblem {
  path: string;
  message: string;
}

/** @public */
export type ParseScoreWorkloadResult =
  | { ok: true; workload: ScoreWorkload }
  | { ok: false; problems: ScoreProblem[] };

let validator: ValidateFunction | undefined;

/** Compiled once, on first use: compiling costs more than validating. */
function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({
      allErrors: true,
      allowUnionTypes: true,
      // `if`/`then`/`else` branches narrow an outer union type, which strictTypes refuses
      strictTypes: false,
    });
    validator = ajv.compile(SCORE_V1B1_SCHEMA);
  }
  return validator;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A JSON path such as `$.containers.main.files['/etc/x'].content` from segments.
 *
 * @public
 */
export function jsonPath(segments: Array<string | number>): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += `.${s}`;
    else out += `['${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

function pointerSegments(
  pointer: string,
  data: unknown,
): Array<string | number> {
  if (!pointer) return [];
  const segments: Array<string | number> = [];
  let node: any = data;
  for (const raw of pointer.slice(1).split('/')) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node) && /^\d+$/.test(s);
    segments.push(isIndex ? Number(s) : s);
    node = node?.[isIndex ? Number(s) : s];
  }
  return segments;
}

const LABEL_RULE =
  "must be 2–63 characters of a-z, 0-9 and '-', not starting or ending with '-'";

/** Readable messages for the patterns of the schema, by the property they check. */
const PATTERN_MESSAGES: Record<string, string> = {
  apiVersion: 'must be score.dev/v1b1',
  name: LABEL_RULE,
  memory: 'must be bytes with an optional unit, e.g. 128M or 1.5Gi',
  cpu: 'must be whole or fractional CPUs or milli-CPUs, e.g. 2, 0.5 or 250m',
  mode: 'must be an octal file mode, e.g. 0644',
  type: "must be 2–63 characters of A-Z, a-z, 0-9 and '-', not starting or ending with '-'",
  class:
    "must be 2–63 characters of A-Z, a-z, 0-9 and '-', not starting or ending with '-'",
  id: "must be '.'-separated labels of a-z, 0-9 and '-', up to 63 characters",
};

/** The rule of a constrained string property, when it is one of ours with a name. */
function knownStringRule(segments: Array<string | number>): string | undefined {
  const last = segments[segments.length - 1];
  const parent = segments[segments.length - 2];
  // maps of free names (variables, annotations, params) and array items
  // (httpHeaders[].name) have their own rules
  if (typeof last !== 'string' || typeof parent === 'number') return undefined;
  if (
    parent !== undefined &&
    [
      'variables',
      'annotations',
      'params',
      'ports',
      'containers',
      'resources',
      'files',
      'volumes',
    ].includes(parent)
  ) {
    return undefined;
  }
  return Object.hasOwn(PATTERN_MESSAGES, last)
    ? PATTERN_MESSAGES[last]
    : undefined;
}

function propertyNameMessage(parent: string | number | undefined): string {
  if (parent === 'variables') return "must be a non-empty name without '='";
  if (parent === 'annotations') {
    return "must be a key of A-Z, a-z, 0-9, '-', '_' and '.', 2–63 characters, with an optional DNS prefix and '/'";
  }
  return LABEL_RULE;
}

function schemaProblems(errors: ErrorObject[], data: unknown): ScoreProblem[] {
  const problems: ScoreProblem[] = [];
  const seen = new Set<string>();
  const add = (segments: Array<string | number>, message: string) => {
    const path = jsonPath(segments);
    const key = `${path}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path, message });
    }
  };
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath, data);
    // branches of oneOf/anyOf are reported once, by the combinator itself; `if`
    // only repeats what its branch reported
    if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) continue;
    if (error.keyword === 'if') continue;
    if (error.propertyName !== undefined) {
      add(
        [...segments, error.propertyName],
        `name ${propertyNameMessage(segments[segments.length - 1])}`,
      );
      continue;
    }
    switch (error.keyword) {
      case 'propertyNames':
        // reported through the error of the name itself
        break;
      case 'required':
        add([...segments, error.params.missingProperty], 'is required');
        break;
      case 'additionalProperties':
        add(
          [...segments, error.params.additionalProperty],
          'is not allowed here',
        );
        break;
      case 'not':
        add(
          [...segments, 'target'],
          'is only allowed in the array form; the map key is the target',
        );
        break;
      case 'oneOf':
        add(
          segments,
          'must have exactly one of content, binaryContent or source',
        );
        break;
      case 'anyOf':
        add(segments, 'must have httpGet or exec');
        break;
      case 'enum':
        add(
          segments,
          `must be one of ${(error.params.allowedValues as unknown[]).join(
            ', ',
          )}`,
        );
        break;
      case 'pattern':
      case 'minLength':
      case 'maxLength':
        add(
          segments,
          knownStringRule(segments) ?? error.message ?? 'is not valid',
        );
        break;
      default:
        add(segments, error.message ?? 'is not valid');
    }
  }
  return problems;
}

/** A placeholder and where it was written. */
interface PlacedPlaceholder extends FoundPlaceholder {
  at: Array<string | number>;
}

function filesOf(
  files: Record<string, ScoreContainerFile> | ScoreContainerFile[] | undefined,
): Array<[string | number, ScoreContainerFile]> {
  if (!files) return [];
  return Array.isArray(files)
    ? files.map((f, i) => [i, f])
    : Object.entries(files);
}

function volumesOf(
  volumes:
    | Record<string, ScoreContainerVolume>
    | ScoreContainerVolume[]
    | undefined,
): Array<[string | number, ScoreContainerVolume]> {
  if (!volumes) return [];
  return Array.isArray(volumes)
    ? volumes.map((v, i) => [i, v])
    : Object.entries(volumes);
}

function deepStrings(
  value: unknown,
  at: Array<string | number>,
  visit: (text: string, at: Array<string | number>) => void,
) {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value))
    value.forEach((v, i) => deepStrings(v, [...at, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      deepStrings(v, [...at, k], visit);
  }
}

/**
 * Every placeholder that will be expanded: in containers' command, args, variables,
 * file contents (not `noExpand`, not binary) and volume sources, and in resources'
 * params. `at` is where, as path segments.
 */
function workloadPlaceholders(workload: ScoreWorkload): PlacedPlaceholder[] {
  const found: PlacedPlaceholder[] = [];
  const visit = (text: string, at: Array<string | number>) => {
    for (const p of findPlaceholders(text)) found.push({ ...p, at });
  };
  for (const [name, c] of Object.entries(workload.containers)) {
    const base = ['containers', name];
    c.command?.forEach((s, i) => visit(s, [...base, 'command', i]));
    c.args?.forEach((s, i) => visit(s, [...base, 'args', i]));
    for (const [k, v] of Object.entries(c.variables ?? {}))
      visit(v, [...base, 'variables', k]);
    for (const [k, f] of filesOf(c.files)) {
      if (f.content !== undefined && !f.noExpand)
        visit(f.content, [...base, 'files', k, 'content']);
    }
    for (const [k, v] of volumesOf(c.volumes))
      visit(v.source, [...base, 'volumes', k, 'source']);
  }
  for (const [name, r] of Object.entries(workload.resources ?? {})) {
    deepStrings(r.params, ['resources', name, 'params'], visit);
  }
  return found;
}

/**
 * Every placeholder of a workload that will be expanded (containers' command, args,
 * variables, file contents unless `noExpand`, volume sources; resources' params),
 * with the JSON path of the field it is in.
 *
 * @public
 */
export function scoreWorkloadPlaceholders(
  workload: ScoreWorkload,
): Array<FoundPlaceholder & { at: string }> {
  return workloadPlaceholders(workload).map(p => ({
    raw: p.raw,
    path: p.path,
    at: jsonPath(p.at),
  }));
}

function hasPath(value: unknown, path: string[]): boolean {
  let node: unknown = value;
  for (const key of path) {
    if (!node || typeof node !== 'object' || !(key in (node as object)))
      return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function placeholderProblem(
  p: PlacedPlaceholder,
  workload: ScoreWorkload,
): string | undefined {
  const [root, name, ...rest] = p.path;
  if (root === 'resources') {
    if (name === undefined) return `placeholder ${p.raw} must name a resource`;
    if (!workload.resources || !Object.hasOwn(workload.resources, name)) {
      return `placeholder ${p.raw} names resource '${name}', which the workload does not declare`;
    }
    return undefined;
  }
  if (root === 'metadata') {
    if (name !== undefined && !hasPath(workload.metadata, [name, ...rest])) {
      return `placeholder ${p.raw} names metadata '${[name, ...rest].join(
        '.',
      )}', which the workload does not have`;
    }
    return undefined;
  }
  return `placeholder ${p.raw} must start with 'metadata.' or 'resources.' (write $\${ for a literal \${)`;
}

/** Checks the schema cannot express. */
function semanticProblems(workload: ScoreWorkload): ScoreProblem[] {
  const problems: ScoreProblem[] = [];
  for (const [name, c] of Object.entries(workload.containers)) {
    if (c.image !== '.' && !isImageReference(c.image)) {
      problems.push({
        path: jsonPath(['containers', name, 'image']),
        message: `'${c.image}' is neither '.' (the image being deployed) nor an image reference [registry/]path[:tag][@digest] with a lower-case path`,
      });
    }
    for (const before of Object.keys(c.before ?? {})) {
      if (before === name || !Object.hasOwn(workload.containers, before)) {
        problems.push({
          path: jsonPath(['containers', name, 'before', before]),
          message:
            before === name
              ? 'a container cannot wait for itself'
              : `names container '${before}', which the workload does not have`,
        });
      }
    }
  }

  for (const p of workloadPlaceholders(workload)) {
    const message = placeholderProblem(p, workload);
    if (message) problems.push({ path: jsonPath(p.at), message });
  }

  // Kubernetes refuses a Service with two ports of the same number and protocol.
  const taken = new Map<string, string>();
  for (const [name, port] of Object.entries(workload.service?.ports ?? {})) {
    const protocol = port.protocol ?? 'TCP';
    const key = `${port.port}/${protocol}`;
    const other = taken.get(key);
    if (other) {
      problems.push({
        path: jsonPath(['service', 'ports', name, 'port']),
        message: `port ${port.port}/${protocol} is also the port of '${other}'`,
      });
    } else {
      taken.set(key, name);
    }
  }
  return problems;
}

function parseYaml(
  text: string,
): { value: unknown } | { problems: ScoreProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map(e => ({
        path: '$',
        // the first line names the problem and its line and column; the rest is a snippet
        message: `YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`,
      })),
    };
  }
  return { value: doc.toJS() };
}

/**
 * Parses and validates a Score workload: a YAML (or JSON) text, or an already parsed
 * value. Checks the Score v1b1 schema, then what it cannot express: image references,
 * placeholders naming undeclared resources or missing metadata, clashing service
 * ports, `before` naming unknown containers.
 *
 * @public
 */
export function parseScoreWorkload(input: unknown): ParseScoreWorkloadResult {
  let value = input;
  if (typeof input === 'string') {
    const parsed = parseYaml(input);
    if ('problems' in parsed) return { ok: false, problems: parsed.problems };
    value = parsed.value;
  }
  const check = validate();
  if (!check(value)) {
    return { ok: false, problems: schemaProblems(check.errors ?? [], value) };
  }
  const workload = value as ScoreWorkload;
  const problems = semanticProblems(workload);
  return problems.length ? { ok: false, problems } : { ok: true, workload };
}

/**
 * The problems as one line each, `path: message`, for error messages.
 *
 * @public
 */
export function formatScoreProblems(problems: ScoreProblem[]): string {
  return problems.map(p => `${p.path}: ${p.message}`).join('; ');
}
