import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { LocalClusterStatusFile } from './LocalClusterStatusFile';

describe('LocalClusterStatusFile', () => {
  const dir = createMockDirectory();
  const logger = mockServices.logger.mock();
  const statusFile = () =>
    new LocalClusterStatusFile(dir.resolve('status.json'), logger);

  beforeEach(() => {
    dir.clear();
    jest.clearAllMocks();
  });

  it('reads what ./paved start writes, anew on each call', async () => {
    const file = statusFile();
    dir.addContent({
      'status.json': JSON.stringify({
        state: 'building',
        startedAt: '2026-12-07T10:00:00Z',
        lastBuildSeconds: 412,
        step: 'kube-apiserver (2 of 5)',
      }),
    });
    await expect(file.read()).resolves.toEqual({
      state: 'building',
      startedAt: '2026-12-07T10:00:00Z',
      lastBuildSeconds: 412,
      step: 'kube-apiserver (2 of 5)',
    });

    dir.addContent({
      'status.json': JSON.stringify({
        state: 'ready',
        startedAt: '2026-12-07T10:00:00Z',
        unknownKey: 'dropped',
      }),
    });
    await expect(file.read()).resolves.toEqual({
      state: 'ready',
      startedAt: '2026-12-07T10:00:00Z',
    });
  });

  it('is off without a configured file (production) and while the file is missing', async () => {
    const config = mockServices.rootConfig({ data: {} });
    await expect(
      LocalClusterStatusFile.fromConfig(config, logger).read(),
    ).resolves.toEqual({ state: 'off' });
    await expect(statusFile().read()).resolves.toEqual({ state: 'off' });
  });

  it('takes the file from paved.localCluster.statusFile', async () => {
    dir.addContent({ 'status.json': '{"state":"starting"}' });
    const config = mockServices.rootConfig({
      data: {
        paved: { localCluster: { statusFile: dir.resolve('status.json') } },
      },
    });
    await expect(
      LocalClusterStatusFile.fromConfig(config, logger).read(),
    ).resolves.toEqual({ state: 'starting' });
  });

  it.each([
    ['not JSON', '{"state":'],
    ['an unknown state', '{"state":"sleeping"}'],
    ['a negative duration', '{"state":"building","lastBuildSeconds":-3}'],
    ['a start that is no date', '{"state":"building","startedAt":"soon"}'],
  ])(
    'reports a file with %s as failed, naming the file',
    async (_, content) => {
      dir.addContent({ 'status.json': content });
      const status = await statusFile().read();
      expect(status).toEqual({
        state: 'failed',
        message: expect.stringContaining(dir.resolve('status.json')),
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('could not be read'),
      );
    },
  );

  it('reports a path it cannot read (a folder) as failed', async () => {
    dir.addContent({ 'status.json': { 'not-a-file': '' } });
    await expect(statusFile().read()).resolves.toMatchObject({
      state: 'failed',
    });
  });
});
