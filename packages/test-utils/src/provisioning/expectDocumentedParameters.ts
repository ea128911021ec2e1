/**
 * Expects every field of a resource type's form (as `GET /types` lists it) to have a
 * title and a description: the form is all a requester reads.
 */
export function expectDocumentedParameters(type: {
  parameters: {
    properties: Record<string, { title?: string; description?: string }>;
  };
}) {
  for (const [field, schema] of Object.entries(type.parameters.properties)) {
    // The field in the expectation names the one that lacks them.
    expect({
      field,
      title: !!schema.title,
      desc: !!schema.description,
    }).toEqual({ field, title: true, desc: true });
  }
}
