import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { localCreator } from '../publish/LocalPublishTarget';
import { createRegisterAction } from './createRegisterAction';

const CATALOG_INFO = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: API',
  'metadata: { name: orders-rest-api }',
  '---',
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata: { name: orders-api }',
  'spec: { type: service, owner: group:default/checkout-team, lifecycle: experimental }',
  '',
].join('\n');

describe('paved:catalog:register', () => {
  let root: string;
  let workspacePath: string;
  let repositories: LocalRepositories;
  let catalog: ReturnType<typeof catalogServiceMock.mock>;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-register-'));
    workspacePath = path.join(root, 'workspace');
    await fs.mkdir(workspacePath);
    await fs.writeFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      CATALOG_INFO,
    );
    repositories = new LocalRepositories(path.join(root, 'data'));
    await repositories.publish({
      name: 'orders-api',
      sourceDir: workspacePath,
      // As paved:publish in the same (mock) task would have.
      createdBy: localCreator('mock-task-id'),
    });
    // The catalog (via the local-repositories provider) knows the entity once
    // the repository has a checkout.
    catalog = catalogServiceMock.mock({
      validateEntity: jest.fn(async () => ({ valid: true as const })),
      getEntityByRef: jest.fn(async () =>
        (await repositories.listCheckouts()).includes('orders-api')
          ? {
              apiVersion: 'v1',
              kind: 'Component',
              metadata: { name: 'orders-api' },
            }
          : undefined,
      ),
    });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const context = (catalogInfoUrl: string) =>
    createMockActionContext({ workspacePath, input: { catalogInfoUrl } });

  it('registers a local repository by checking it out, and waits for the Component', async () => {
    const ctx = context(repositories.checkoutFileUrl('orders-api'));
    await createRegisterAction({ catalog, repositories }).handler(ctx);
    expect(await repositories.listCheckouts()).toEqual(['orders-api']);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders-api',
    );
    expect(catalog.validateEntity).toHaveBeenCalledTimes(2);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('registers other URLs as url locations, and a repeat is not an error', async () => {
    catalog.getEntityByRef.mockResolvedValue({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'orders-api' },
    });
    catalog.addLocation.mockRejectedValueOnce(new ConflictError('exists'));
    const url =
      'https://github.com/acme/orders-api/blob/main/catalog-info.yaml';
    await createRegisterAction({ catalog, repositories }).handler(context(url));
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: url },
      expect.anything(),
    );
  });

  it('refuses an invalid entity before registering anything', async () => {
    catalog.validateEntity.mockResolvedValue({
      valid: false,
      errors: [{ name: 'InputError', message: 'spec.lifecycle is missing' }],
    });
    await expect(
      createRegisterAction({ catalog, repositories }).handler(
        context(repositories.checkoutFileUrl('orders-api')),
      ),
    ).rejects.toThrow(
      'api:default/orders-rest-api in catalog-info.yaml is not a valid entity: spec.lifecycle is missing',
    );
    expect(await repositories.listCheckouts()).toEqual([]);
    // The task's repository is taken back, so the name is free for a re-run.
    expect(await repositories.exists('orders-api')).toBe(false);
  });

  it('refuses file URLs outside the local repositories', async () => {
    await expect(
      createRegisterAction({ catalog, repositories }).handler(
        context('file:///etc/catalog-info.yaml'),
      ),
    ).rejects.toThrow(/is a file outside the portal's local repositories/);
  });

  it('takes the checkout and repository back when the entity never appears, so a re-run works', async () => {
    catalog.getEntityByRef.mockResolvedValue(undefined);
    await expect(
      createRegisterAction({ catalog, repositories, waitSeconds: 1 }).handler(
        context(repositories.checkoutFileUrl('orders-api')),
      ),
    ).rejects.toThrow(
      'component:default/orders-api did not appear in the catalog within 1 s',
    );
    expect(await repositories.listCheckouts()).toEqual([]);
    expect(await repositories.exists('orders-api')).toBe(false);
  });

  it('a dry run validates and names the entity without registering', async () => {
    const ctx = context(repositories.checkoutFileUrl('orders-api'));
    await createRegisterAction({ catalog, repositories }).handler({
      ...ctx,
      isDryRun: true,
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders-api',
    );
    expect(await repositories.listCheckouts()).toEqual([]);
  });
});
