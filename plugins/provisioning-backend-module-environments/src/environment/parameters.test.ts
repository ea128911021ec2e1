import { mockServices } from '@backstage/backend-test-utils';
import { readEnvironmentsConfig } from '../config';
import { ENVIRONMENT_STAGES, environmentParametersSchema } from './parameters';

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
    expect(ENVIRONMENT_STAGES).toEqual([
      'development',
      'staging',
      'production',
    ]);
    expect(stage).toMatchObject({
      type: 'string',
      title: 'Stage',
      enum: ['development', 'staging', 'production'],
      default: 'development',
    });
    expect(stage.description).toMatch(/production .*approval/);
  });
});
