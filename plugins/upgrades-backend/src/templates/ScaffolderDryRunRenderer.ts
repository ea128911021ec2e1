/*
 * Renders a template version as Create would, with the real scaffolder: its dry run
 * runs every step (the paved:* actions only pretend to publish and register) and
 * hands back the workspace, which is what the service's repository started as.
 */
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { FileSet, TemplateRenderer, TemplateVersion } from '../ports';
import { withParameterDefaults } from './parameterDefaults';

export interface ScaffolderDryRunRendererOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** For tests: the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** One error of the scaffolder's parameter validation (jsonschema's ValidationError). */
interface ParameterError {
  name?: string;
  property?: string;
  path?: Array<string | number>;
  argument?: unknown;
  message?: string;
  instance?: unknown;
}

interface DryRunLogLine {
  body?: { message?: string; stepId?: string; status?: string };
}

/** {@link TemplateRenderer} through `POST <scaffolder>/v2/dry-run`. */
export class ScaffolderDryRunRenderer implements TemplateRenderer {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ScaffolderDryRunRendererOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async render(version: TemplateVersion, values: JsonObject): Promise<FileSet> {
    const { discovery, auth } = this.options;
    const label = `Template ${version.entity.metadata.name} ${version.version}`;
    const body = {
      template: version.entity,
      values: withParameterDefaults(version.entity, values),
      // The dry run takes no file modes: executable bits in the template are lost
      // on the way in; those the steps set come back in the response.
      directoryContents: [...version.files].map(([path, file]) => ({
        path,
        base64Content: file.content.toString('base64'),
      })),
    };
    const url = `${await discovery.getBaseUrl('scaffolder')}/v2/dry-run`;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `${label} could not be rendered: the scaffolder did not answer (${
          (error as Error).message
        })`,
      );
    }
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }

    if (response.status === 400 && Array.isArray(json?.errors)) {
      throw new InputError(
        parameterErrorsMessage(label, json.errors, subjectOf(values)),
      );
    }
    if (!response.ok || !Array.isArray(json?.directoryContents)) {
      throw new Error(failureMessage(label, response, json, text));
    }
    const files: FileSet = new Map();
    for (const file of json.directoryContents as Array<{
      path: string;
      base64Content: string;
      executable?: boolean;
    }>) {
      files.set(file.path, {
        content: Buffer.from(file.base64Content, 'base64'),
        ...(file.executable ? { executable: true } : {}),
      });
    }
    return files;
  }
}

/** Whose answers they are, for messages: the service's name when the form asks it. */
function subjectOf(values: JsonObject): string {
  return typeof values.name === 'string' && values.name
    ? values.name
    : 'the service';
}

function parameterOf(error: ParameterError): string {
  if (Array.isArray(error.path) && error.path.length > 0) {
    return error.path.join('.');
  }
  return (error.property ?? '').replace(/^instance\.?/, '') || '(the answers)';
}

function brief(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

export function parameterErrorsMessage(
  label: string,
  errors: ParameterError[],
  subject: string,
): string {
  const parts = errors.map(error => {
    if (error.name === 'required' && typeof error.argument === 'string') {
      const parent = parameterOf(error);
      const parameter =
        parent === '(the answers)'
          ? error.argument
          : `${parent}.${error.argument}`;
      return `${label} needs parameter '${parameter}', which ${subject} never answered`;
    }
    return `${label} does not accept ${subject}'s answer to '${parameterOf(
      error,
    )}' (${brief(error.instance)}): ${error.message ?? error.name}`;
  });
  return parts.length > 0
    ? parts.join('; ')
    : `${label} does not accept ${subject}'s answers`;
}

function failureMessage(
  label: string,
  response: Response,
  json: any,
  text: string,
): string {
  const message =
    (typeof json?.error?.message === 'string' && json.error.message) ||
    (typeof json?.message === 'string' && json.message) ||
    (response.ok
      ? 'the response has no files'
      : text.slice(0, 200) || response.statusText);
  let result = `${label} could not be rendered: the scaffolder answered HTTP ${response.status}: ${message}`;
  const log: DryRunLogLine[] = Array.isArray(json?.log) ? json.log : [];
  const failed =
    [...log].reverse().find(line => line.body?.status === 'failed') ??
    [...log].reverse().find(line => line.body?.stepId && line.body?.message);
  if (failed?.body?.message) {
    result += ` (step ${failed.body.stepId ?? '?'}: ${failed.body.message})`;
  }
  return result;
}
