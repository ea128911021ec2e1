import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createLineageAction } from './createLineageAction';

const CATALOG_INFO =
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders-api\nspec:\n  type: service\n';

describe('paved:catalog:lineage', () => {
  let workspacePath: string;
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'lineage-'));
    await fs.writeFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      CATALOG_INFO,
    );
  });
  afterEach(() => fs.rm(workspacePath, { recursive: true, force: true }));

  const templateInfo = (annotations: Record<string, string>) => ({
    entityRef: 'template:default/typescript-service',
    entity: { metadata: { name: 'typescript-service', annotations } },
  });

  it("writes the running template's ref and version into catalog-info.yaml", async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: {},
      templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
    });
    await createLineageAction().handler(ctx);

    const written = await fs.readFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      'utf8',
    );
    expect(written).toContain(
      'paved.dev/template: template:default/typescript-service',
    );
    expect(written).toContain('paved.dev/template-version: 1.0.0');
    expect(ctx.output).toHaveBeenCalledWith('templateVersion', '1.0.0');
  });

  it('refuses a template without a version, naming the annotation', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: {},
      templateInfo: templateInfo({}),
    });
    await expect(createLineageAction().handler(ctx)).rejects.toThrow(
      "Template 'template:default/typescript-service' has no 'paved.dev/template-version' annotation",
    );
  });

  it('names the missing file', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { catalogInfoPath: 'service/catalog-info.yaml' },
      templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
    });
    await expect(createLineageAction().handler(ctx)).rejects.toThrow(
      "catalogInfoPath 'service/catalog-info.yaml' does not exist in the workspace",
    );
  });

  it('does not write outside the workspace', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { catalogInfoPath: '../escape.yaml' },
      templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
    });
    await expect(createLineageAction().handler(ctx)).rejects.toThrow(/outside/);
  });
});
