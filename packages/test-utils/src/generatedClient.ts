/* eslint-disable jest/no-export -- it declares the tests of the test files that call it */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Checks, in the ordinary unit tests and without the generator's Java, that the
 * client generated from a backend's OpenAPI spec (`yarn generate:client` in the
 * common package) is not older than the spec: a model declaring the properties of
 * each object schema, a method for each operation (and no other) sending the
 * parameters the spec names. `yarn check:client` regenerates and compares all.
 *
 * Call it at the top level of a test file.
 */
export function describeGeneratedClient(options: {
  /** The backend's `src/schema/openapi.yaml`. */
  specPath: string;
  /** The common package's `src/schema/openapi/generated`. */
  generatedDir: string;
}) {
  const spec = parse(readFileSync(options.specPath, 'utf8'));
  const schemas: Record<string, any> = spec.components?.schemas ?? {};
  const client = readFileSync(
    resolve(options.generatedDir, 'apis/Api.client.ts'),
    'utf8',
  );

  // The generator prefixes names that are reserved words in TypeScript (`Error`).
  const modelFile = (name: string) =>
    [name, `Model${name}`]
      .map(file => resolve(options.generatedDir, 'models', `${file}.model.ts`))
      .find(file => existsSync(file));

  const specProperties = (schema: any): string[] => {
    if (schema.$ref) {
      return specProperties(schemas[schema.$ref.split('/').pop()]);
    }
    if (schema.allOf) {
      return schema.allOf.flatMap(specProperties).sort();
    }
    return Object.keys(schema.properties ?? {}).sort();
  };

  const resolveParameter = (parameter: any) =>
    parameter.$ref
      ? spec.components.parameters[parameter.$ref.split('/').pop()]
      : parameter;

  const operations = Object.entries<any>(spec.paths ?? {}).flatMap(
    ([path, item]) =>
      HTTP_METHODS.filter(method => item[method]).map(method => {
        const operation = item[method];
        const parameters = [
          ...(item.parameters ?? []),
          ...(operation.parameters ?? []),
        ].map(resolveParameter);
        const id: string = operation.operationId;
        return {
          label: `${method.toUpperCase()} ${path}`,
          path,
          method: id ? id[0].toLowerCase() + id.slice(1) : undefined,
          query: parameters
            .filter(parameter => parameter.in === 'query')
            .map(parameter => parameter.name)
            .sort(),
        };
      }),
  );

  describe(`the client generated from ${
    spec.info?.title ?? 'the spec'
  }`, () => {
    const objectSchemas = Object.entries(schemas).filter(
      ([, schema]) =>
        (schema.properties && !schema.additionalProperties) || schema.allOf,
    );

    it.each(objectSchemas)('declares the properties of %s', (name, schema) => {
      const file = modelFile(name);
      expect(file).toBeDefined();
      const body = /export interface \w+ \{\n([\s\S]*?)\n\}/.exec(
        readFileSync(file!, 'utf8'),
      )?.[1];
      const declared = [...(body ?? '').matchAll(/^ {2}(\w+)\??:/gm)]
        .map(match => match[1])
        .sort();
      expect(declared).toEqual(specProperties(schema));
    });

    it('has a model for every schema with properties or values', () => {
      const modelled = Object.entries(schemas).filter(
        ([, schema]) => schema.properties || schema.allOf || schema.enum,
      );
      for (const [name] of modelled) {
        expect({ name, file: modelFile(name) }).toEqual({
          name,
          file: expect.any(String),
        });
      }
    });

    it('has one method for each operation, and no other', () => {
      expect(operations.filter(operation => !operation.method)).toEqual([]);
      expect(
        [...client.matchAll(/public async (\w+)\(/g)].map(m => m[1]).sort(),
      ).toEqual(operations.map(operation => operation.method).sort());
    });

    it.each(operations.map(operation => [operation.label, operation] as const))(
      'sends %s to its path with the query parameters of the spec',
      (_label, operation) => {
        const method = new RegExp(
          `public async ${operation.method}\\([\\s\\S]*?const uriTemplate = \`([^\`]*)\``,
        ).exec(client);
        expect(method).not.toBeNull();
        const [path, query = ''] = method![1].split('{?');
        expect(path).toBe(operation.path);
        expect(
          query.replace(/}$/, '').split(',').filter(Boolean).sort(),
        ).toEqual(operation.query);
      },
    );
  });
}
