import { addLineage } from './lineage';

const lineage = {
  templateRef: 'template:default/typescript-service',
  templateVersion: '1.2.0',
};

describe('addLineage', () => {
  it('annotates the entity and keeps comments and other annotations', () => {
    const result = addLineage(
      [
        '# The orders API',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: orders-api',
        '  annotations:',
        '    backstage.io/techdocs-ref: dir:.',
        'spec:',
        '  type: service',
        '',
      ].join('\n'),
      lineage,
    );
    expect(result).toBe(
      [
        '# The orders API',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: orders-api',
        '  annotations:',
        '    backstage.io/techdocs-ref: dir:.',
        '    paved.dev/template: template:default/typescript-service',
        '    paved.dev/template-version: 1.2.0',
        'spec:',
        '  type: service',
        '',
      ].join('\n'),
    );
  });

  it('creates the annotations map when there is none, in every entity of the file', () => {
    const result = addLineage(
      'kind: Component\nmetadata:\n  name: a\n---\nkind: API\nmetadata:\n  name: b\n',
      lineage,
    );
    expect(result.match(/paved.dev\/template-version: 1.2.0/g)).toHaveLength(2);
  });

  it('is idempotent', () => {
    const once = addLineage('kind: Component\nmetadata:\n  name: a\n', lineage);
    expect(addLineage(once, lineage)).toBe(once);
  });

  it('rejects a file with no entity, and invalid YAML', () => {
    expect(() => addLineage('just: data\n', lineage)).toThrow(
      /holds no entity/,
    );
    expect(() => addLineage('kind: [unclosed\n', lineage)).toThrow(
      /not valid YAML/,
    );
  });
});
