import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

// The spec lives with the backend that serves it; the client is generated from it
// by `yarn generate:client` (and fully re-checked by `yarn check:client`). This
// cheap check catches a spec changed without regenerating.
const spec = parse(
  readFileSync(
    resolve(__dirname, '../../../provisioning-backend/src/schema/openapi.yaml'),
    'utf8',
  ),
);
const generated = resolve(__dirname, 'openapi/generated');

function declaredProperties(model: string): string[] {
  const source = readFileSync(
    resolve(generated, 'models', `${model}.model.ts`),
    'utf8',
  );
  const body = /export interface \w+ \{\n([\s\S]*?)\n\}/.exec(source)?.[1];
  return [...(body ?? '').matchAll(/^ {2}(\w+)\??:/gm)]
    .map(match => match[1])
    .sort();
}

function specProperties(schema: any): string[] {
  if (schema.$ref) {
    return specProperties(
      spec.components.schemas[schema.$ref.split('/').pop()],
    );
  }
  if (schema.allOf) {
    return schema.allOf.flatMap(specProperties).sort();
  }
  return Object.keys(schema.properties ?? {}).sort();
}

describe('the generated provisioning client', () => {
  const objectSchemas = Object.entries<any>(spec.components.schemas).filter(
    ([, schema]) =>
      (schema.properties && !schema.additionalProperties) || schema.allOf,
  );

  it.each(objectSchemas)('declares the properties of %s', (name, schema) => {
    const model = name === 'Error' ? 'ModelError' : name;
    expect(declaredProperties(model)).toEqual(specProperties(schema));
  });

  it('has a method for every operation', () => {
    const client = readFileSync(
      resolve(generated, 'apis/Api.client.ts'),
      'utf8',
    );
    const operations = Object.values<any>(spec.paths).flatMap(item =>
      Object.values<any>(item)
        .map(operation => operation?.operationId)
        .filter(Boolean),
    );
    for (const operationId of operations) {
      const method = operationId[0].toLowerCase() + operationId.slice(1);
      expect(client).toContain(`public async ${method}(`);
    }
    expect(
      [...client.matchAll(/public async (\w+)\(/g)].map(m => m[1]).sort(),
    ).toEqual(
      operations.map((id: string) => id[0].toLowerCase() + id.slice(1)).sort(),
    );
  });

  it('has a model file for every schema and no stale ones', () => {
    const models = readdirSync(resolve(generated, 'models'))
      .filter(file => file.endsWith('.model.ts'))
      .map(file => file.replace('.model.ts', ''));
    for (const name of Object.keys(spec.components.schemas)) {
      if (name === 'JsonObject') continue; // inlined as { [key: string]: any }
      expect(models).toContain(name === 'Error' ? 'ModelError' : name);
    }
  });
});
