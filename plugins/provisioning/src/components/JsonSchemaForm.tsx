import { JsonObject } from '@backstage/types';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import { Form } from '@rjsf/material-ui';
import {
  ErrorSchema,
  getUiOptions,
  IconButtonProps,
  RJSFSchema,
  UiSchema,
} from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { ReactNode } from 'react';
import { ADD_LABEL_OPTION, formUiSchema } from '../lib/formUiSchema';

/** rjsf's add button with words: "Add queue" says more than a lone "+". */
function AddButton(props: IconButtonProps) {
  const { className, onClick, disabled, uiSchema } = props;
  const label = getUiOptions(uiSchema)[ADD_LABEL_OPTION];
  return (
    <Button
      className={className}
      onClick={onClick}
      disabled={disabled}
      color="primary"
      variant="outlined"
      size="small"
      startIcon={<AddIcon />}
    >
      {typeof label === 'string' ? label : 'Add'}
    </Button>
  );
}

const templates = { ButtonTemplates: { AddButton } };

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
  const uiSchema: UiSchema = {
    ...formUiSchema(props.schema, props.formData),
    // The type's title and description are shown above the form already.
    'ui:title': '',
    'ui:description': '',
  };
  return (
    <Form
      idPrefix={props.id}
      schema={schema}
      uiSchema={uiSchema}
      templates={templates}
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
