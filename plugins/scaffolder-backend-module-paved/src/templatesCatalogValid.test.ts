/*
 * Every template registered by templates/all.yaml passes the catalog's own entity
 * policies and the Template kind's validator, so that none is refused at ingestion
 * (where a refusal is only a warning in the log).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { TEMPLATES } from './__testUtils__/goldenPaths';

const location = parse(
  fs.readFileSync(path.join(TEMPLATES, 'all.yaml'), 'utf8'),
);
const targets: string[] = location.spec.targets;

// The policies the catalog applies to every entity it reads (its defaults).
const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

describe.each(targets)('the template %s', target => {
  const [document] = parseAllDocuments(
    fs.readFileSync(path.join(TEMPLATES, target), 'utf8'),
  );
  const entity = document.toJS() as Entity;

  it('passes the catalog’s entity policies', async () => {
    await expect(policy.enforce(entity)).resolves.toBeDefined();
  });

  it('is a valid scaffolder Template', async () => {
    await expect(templateEntityV1beta3Validator.check(entity)).resolves.toBe(
      true,
    );
  });
});
