import { normalizeTemplateRef } from './templateLineage';

describe('normalizeTemplateRef', () => {
  it('spells a template ref as the catalog does, in lower case', () => {
    expect(normalizeTemplateRef('typescript-service')).toBe(
      'template:default/typescript-service',
    );
    expect(normalizeTemplateRef('Template:Golden/TypeScript-Service')).toBe(
      'template:golden/typescript-service',
    );
    expect(normalizeTemplateRef('component:default/orders-api')).toBe(
      'component:default/orders-api',
    );
  });

  it('answers undefined for what is not an entity ref', () => {
    expect(normalizeTemplateRef('')).toBeUndefined();
    expect(normalizeTemplateRef(':/')).toBeUndefined();
  });
});
