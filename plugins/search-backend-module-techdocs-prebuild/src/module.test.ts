import { indexTasksAfter } from './module';

describe('indexTasksAfter', () => {
  it('re-indexes both until a prebuild of the process finds docs (an in-memory index starts empty)', () => {
    expect(indexTasksAfter({ updated: [] }, true)).toEqual([
      'search_index_techdocs',
      'search_index_software_catalog',
    ]);
  });

  it('later, re-indexes TechDocs only when docs were built, and never the whole catalog', () => {
    expect(
      indexTasksAfter({ updated: ['component:default/a'] }, false),
    ).toEqual(['search_index_techdocs']);
    expect(indexTasksAfter({ updated: [] }, false)).toEqual([]);
  });
});
