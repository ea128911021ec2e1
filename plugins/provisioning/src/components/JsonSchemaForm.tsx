import { JsonObject } from '@backstage/types';
import { Form } from '@rjsf/material-ui';
import { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { ReactNode } from 'react';

/**
 * A form generated from a resource type's (or action's) JSON Schema, with the
 * Material UI theme the scaffolder uses. `children` replaces rjsf's submit button.
 */
export function JsonSchemaForm(props: {
  id: string;
  schema: JsonObject;
  formData: JsonObject;
  onChange(formData: JsonObject): void;
  onSubmit(formData: JsonObject): void;
  /** Errors the server reported, by field, shown under the fields. */
  extraErrors?: ErrorSchema;
  disabled?: boolean;
  children: ReactNode;
}) {
  const schema = props.schema as RJSFSchema;
  // The type's title and description are shown above the form already.
  const uiSchema: UiSchema = { 'ui:title': '', 'ui:description': '' };
  return (
    <Form
      idPrefix={props.id}
      schema={schema}
      uiSchema={uiSchema}
      formData={props.formData}
      validator={validator}
      onChange={e => props.onChange(e.formData ?? {})}
      onSubmit={e => props.onSubmit(e.formData ?? {})}
      extraErrors={props.extraErrors}
      disabled={props.disabled}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
    >
      {props.children}
    </Form>
  );
}

/** Field errors of the server for `parameters.<field>` as rjsf's extra errors. */
export function toErrorSchema(
  errors: Record<string, string[]>,
  prefix: string,
): ErrorSchema | undefined {
  const schema: Record<string, any> = {};
  let found = false;
  for (const [path, messages] of Object.entries(errors)) {
    if (!path.startsWith(`${prefix}.`)) continue;
    const parts = path
      .slice(prefix.length + 1)
      .split(/\.|\[(\d+)\]/)
      .filter(Boolean);
    let node = schema;
    for (const part of parts) {
      node = node[part] ??= {};
    }
    node.__errors = [...(node.__errors ?? []), ...messages];
    found = true;
  }
  return found ? (schema as ErrorSchema) : undefined;
}
