import { mockServices } from '@backstage/backend-test-utils';
import { Housekeeping } from './Housekeeping';

describe('Housekeeping.schedule', () => {
  const housekeeping = () =>
    new Housekeeping({
      events: {} as any,
      rollups: {} as any,
      collector: {} as any,
      logger: mockServices.logger.mock(),
      rawEventRetentionMs: 86_400_000,
    });
  const scheduled = (
    scheduler: ReturnType<typeof mockServices.scheduler.mock>,
  ) =>
    Object.fromEntries(
      scheduler.scheduleTask.mock.calls.map(([task]) => [task.id, task]),
    );

  it('schedules three global tasks with their default intervals', async () => {
    const scheduler = mockServices.scheduler.mock();
    await housekeeping().schedule(scheduler);
    expect(scheduled(scheduler)).toEqual({
      'adoption-rollups': expect.objectContaining({
        frequency: { minutes: 5 },
        initialDelay: { seconds: 30 },
        scope: 'global',
      }),
      'adoption-retention': expect.objectContaining({
        frequency: { hours: 6 },
        initialDelay: { minutes: 5 },
        scope: 'global',
      }),
      'adoption-scaffolder-runs': expect.objectContaining({
        frequency: { minutes: 10 },
        initialDelay: { minutes: 1 },
        scope: 'global',
      }),
    });
  });

  it('takes a task schedule from adoption.schedule.<task>, keeping the others', async () => {
    const scheduler = mockServices.scheduler.mock();
    const config = mockServices.rootConfig({
      data: {
        adoption: {
          schedule: {
            scaffolderRuns: {
              frequency: { seconds: 8 },
              timeout: { minutes: 2 },
              initialDelay: { seconds: 1 },
            },
          },
        },
      },
    });
    await housekeeping().schedule(scheduler, config);
    const tasks = scheduled(scheduler);
    expect(tasks['adoption-scaffolder-runs']).toMatchObject({
      frequency: { seconds: 8 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 1 },
      scope: 'global',
    });
    expect(tasks['adoption-rollups']).toMatchObject({
      frequency: { minutes: 5 },
    });
  });

  it('refuses a schedule without a frequency, naming the key', async () => {
    const config = mockServices.rootConfig({
      data: {
        adoption: { schedule: { rollups: { timeout: { minutes: 1 } } } },
      },
    });
    await expect(
      housekeeping().schedule(mockServices.scheduler.mock(), config),
    ).rejects.toThrow(/frequency/);
  });
});
