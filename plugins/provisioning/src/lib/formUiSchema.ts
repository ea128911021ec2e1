import { JsonObject, JsonValue } from '@backstage/types';
import { UiSchema } from '@rjsf/utils';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The label of the button that adds an item to an array field. */
export const ADD_LABEL_OPTION = 'addLabel';

/**
 * What rjsf's defaults get wrong for a list of objects in a type's (or action's)
 * JSON Schema, such as the queues of a queue request: each item is titled after the
 * list ("Queues-1", "Queues-2"), the add button is a bare "+", and the first item of
 * a list that needs one can be removed. This gives each item the items' own title (or
 * none), the add button a label, and keeps the remove buttons away while the list
 * has no more than `minItems` items. Nested objects are followed; lists in lists
 * keep rjsf's defaults.
 */
export function formUiSchema(
  schema: JsonObject,
  formData: JsonValue | undefined,
): UiSchema {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const data = isObject(formData) ? formData : {};
  const ui: UiSchema = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    if (property.type === 'object') {
      const nested = formUiSchema(property, data[name]);
      if (Object.keys(nested).length > 0) ui[name] = nested;
    } else if (property.type === 'array' && isObject(property.items)) {
      if (property.items.type !== 'object') continue;
      const items = property.items;
      const value = data[name];
      const length = Array.isArray(value) ? value.length : 0;
      const minItems =
        typeof property.minItems === 'number' ? property.minItems : 0;
      const itemTitle = typeof items.title === 'string' ? items.title : '';
      const listTitle =
        typeof property.title === 'string' ? property.title : '';
      let addLabel = 'Add';
      if (itemTitle) addLabel = `Add ${itemTitle.toLowerCase()}`;
      else if (listTitle) addLabel = `Add to ${listTitle.toLowerCase()}`;
      ui[name] = {
        'ui:options': {
          removable: length > minItems,
          [ADD_LABEL_OPTION]: addLabel,
        },
        items: { 'ui:title': itemTitle },
      };
    }
  }
  return ui;
}
