import { mockServices } from '@backstage/backend-test-utils';
import { readEnvironmentsConfig } from '../config';
import { environmentParametersSchema } from './parameters';

describe('environmentParametersSchema', () => {
  const config = readEnvironmentsConfig(
    mockServices.rootConfig({
      data: {
        provisioning: {
          environments: { kubernetes: { kubeconfigPath: '/dev/null' } },
        },
      },
    }),
  )!;

  it('has a stage, development unless chosen, described for the form', () => {
    const { stage } = (environmentParametersSchema(config).properties ??
      {}) as any;
    expect(stage).toMatchObject({
      type: 'string',
      title: 'Stage',
      enum: ['development', 'staging', 'production'],
      default: 'development',
    });
    expect(stage.description).toMatch(/production .*approval/);
  });
});
