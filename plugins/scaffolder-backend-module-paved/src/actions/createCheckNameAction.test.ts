import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { PublishTarget } from '../publish/PublishTarget';
import { createCheckNameAction } from './createCheckNameAction';

const catalog = catalogServiceMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-api', namespace: 'default' },
      spec: { owner: 'group:default/payments-team' },
    },
  ],
});

function targetWith(existing: string[]): PublishTarget {
  return {
    title: 'the local repositories',
    exists: async name => existing.includes(name),
    locate: () => {
      throw new Error('not used');
    },
    publish: () => {
      throw new Error('not used');
    },
  };
}

describe('paved:check-name', () => {
  it('passes a free name', async () => {
    const action = createCheckNameAction({ catalog, target: targetWith([]) });
    await expect(
      action.handler(
        createMockActionContext({ input: { name: 'orders-api' } }),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses a name the catalog has, saying who owns it and what to do', async () => {
    const action = createCheckNameAction({ catalog, target: targetWith([]) });
    await expect(
      action.handler(
        createMockActionContext({ input: { name: 'payments-api' } }),
      ),
    ).rejects.toThrow(
      "name 'payments-api' is taken: the catalog already has component:default/payments-api (owned by group:default/payments-team); go back and choose another name",
    );
  });

  it('refuses a name whose repository exists, even when the catalog does not know it', async () => {
    const action = createCheckNameAction({
      catalog,
      target: targetWith(['legacy-tool']),
    });
    await expect(
      action.handler(
        createMockActionContext({ input: { name: 'legacy-tool' } }),
      ),
    ).rejects.toThrow(
      "name 'legacy-tool' is taken: a repository named 'legacy-tool' already exists in the local repositories",
    );
  });

  it('checks the kind it is told', async () => {
    const action = createCheckNameAction({ catalog, target: targetWith([]) });
    await expect(
      action.handler(
        createMockActionContext({
          input: { name: 'payments-api', kind: 'Resource' },
        }),
      ),
    ).resolves.toBeUndefined();
  });

  it('only warns about a taken name in a dry run, which creates nothing', async () => {
    const action = createCheckNameAction({
      catalog,
      target: targetWith(['payments-api']),
    });
    // The mock context has no isDryRun option; the scaffolder sets the field.
    const ctx = {
      ...createMockActionContext({ input: { name: 'payments-api' } }),
      isDryRun: true,
    };
    const warn = jest.spyOn(ctx.logger, 'warn');
    await expect(action.handler(ctx)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "name 'payments-api' is taken: the catalog already has component:default/payments-api",
      ),
    );
  });
});
