import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseGoldenPathFile } from '@paved/plugin-upgrades-common';
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

  describe('the golden-path file', () => {
    const readGoldenPath = () =>
      fs.readFile(path.join(workspacePath, '.paved/golden-path.yaml'), 'utf8');

    it('keeps the template, version and answers in .paved/golden-path.yaml', async () => {
      const ctx = createMockActionContext({
        workspacePath,
        input: {
          values: {
            name: 'orders-api',
            port: 8080,
            database: true,
            owner: 'group:default/checkout-team',
          },
        },
        templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
      });
      await createLineageAction().handler(ctx);

      const text = await readGoldenPath();
      expect(text).toMatch(/^# Written by Paved/);
      expect(parseGoldenPathFile(text)).toEqual({
        template: 'template:default/typescript-service',
        version: '1.0.0',
        values: {
          name: 'orders-api',
          port: 8080,
          database: true,
          owner: 'group:default/checkout-team',
        },
      });
      expect(ctx.output).toHaveBeenCalledWith(
        'goldenPathPath',
        '.paved/golden-path.yaml',
      );
    });

    it("names the real template in a dry run, whose entityRef is 'template:default/dry-run'", async () => {
      const ctx = createMockActionContext({
        workspacePath,
        input: { values: { name: 'orders-api' } },
        templateInfo: {
          entityRef: 'template:default/dry-run',
          entity: {
            metadata: {
              name: 'TypeScript-Service',
              namespace: 'Golden',
              annotations: { 'paved.dev/template-version': '1.1.0' },
            },
          },
        },
      });
      await createLineageAction().handler(ctx);

      expect(parseGoldenPathFile(await readGoldenPath()).template).toBe(
        'template:golden/typescript-service',
      );
      const catalogInfo = await fs.readFile(
        path.join(workspacePath, 'catalog-info.yaml'),
        'utf8',
      );
      expect(catalogInfo).toContain(
        'paved.dev/template: template:golden/typescript-service',
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'templateRef',
        'template:golden/typescript-service',
      );
    });

    it('writes the same file for the same answers, whatever their order', async () => {
      const run = async (values: Record<string, unknown>) => {
        await createLineageAction().handler(
          createMockActionContext({
            workspacePath,
            input: { values: values as any },
            templateInfo: templateInfo({
              'paved.dev/template-version': '1.0.0',
            }),
          }),
        );
        return readGoldenPath();
      };
      const first = await run({ name: 'a', extra: { z: 1, b: [2, 1] } });
      const again = await run({ name: 'a', extra: { z: 1, b: [2, 1] } });
      const reordered = await run({ extra: { b: [2, 1], z: 1 }, name: 'a' });
      expect(again).toBe(first);
      expect(reordered).toBe(first);
    });

    it("drops the answers of the template's secret fields", async () => {
      const ctx = createMockActionContext({
        workspacePath,
        input: {
          values: { name: 'orders-api', apiToken: 's3cr3t', pin: '1234' },
        },
        templateInfo: {
          entityRef: 'template:default/typescript-service',
          entity: {
            metadata: {
              name: 'typescript-service',
              annotations: { 'paved.dev/template-version': '1.0.0' },
            },
            spec: {
              parameters: [
                { properties: { name: { type: 'string' } } },
                {
                  properties: {
                    apiToken: { type: 'string', 'ui:field': 'Secret' },
                    pin: { type: 'string', 'ui:widget': 'password' },
                  },
                },
              ],
            },
          } as any,
        },
      });
      await createLineageAction().handler(ctx);

      const text = await readGoldenPath();
      expect(parseGoldenPathFile(text).values).toEqual({ name: 'orders-api' });
      expect(text).not.toContain('s3cr3t');
      expect(text).not.toContain('1234');
    });

    it('writes no golden-path file without values', async () => {
      const ctx = createMockActionContext({
        workspacePath,
        input: {},
        templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
      });
      await createLineageAction().handler(ctx);
      await expect(readGoldenPath()).rejects.toThrow(/ENOENT/);
    });

    it('writes to the path it is told, and refuses one outside the workspace before writing anything', async () => {
      const custom = createMockActionContext({
        workspacePath,
        input: { values: { name: 'a' }, goldenPathPath: 'meta/answers.yaml' },
        templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
      });
      await createLineageAction().handler(custom);
      await expect(
        fs.readFile(path.join(workspacePath, 'meta/answers.yaml'), 'utf8'),
      ).resolves.toContain('name: a');

      // A refused path leaves the workspace as it was: catalog-info.yaml untouched.
      await fs.writeFile(
        path.join(workspacePath, 'catalog-info.yaml'),
        CATALOG_INFO,
      );
      const escaping = createMockActionContext({
        workspacePath,
        input: { values: { name: 'a' }, goldenPathPath: '../answers.yaml' },
        templateInfo: templateInfo({ 'paved.dev/template-version': '1.0.0' }),
      });
      await expect(createLineageAction().handler(escaping)).rejects.toThrow(
        /outside/,
      );
      await expect(
        fs.readFile(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'),
      ).resolves.toBe(CATALOG_INFO);
    });
  });
});
