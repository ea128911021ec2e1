import { describeLocalCluster, formatSeconds } from './describeLocalCluster';

const now = Date.parse('2026-12-07T10:03:25Z');

describe('describeLocalCluster', () => {
  it('says what is being built, for how long, and how long the last build took', () => {
    const content = describeLocalCluster(
      {
        state: 'building',
        startedAt: '2026-12-07T10:00:00Z',
        lastBuildSeconds: 412,
        step: 'kube-apiserver (2 of 5)',
      },
      { now, sawProgress: true },
    );
    expect(content).toMatchObject({
      status: 'info',
      pending: true,
      title: 'The local Kubernetes cluster is still being built',
      reload: false,
    });
    expect(content?.description).toMatch(
      /^Building kube-apiserver \(2 of 5\) for 3 min 25 s\. The last build took 6 min 52 s\. Until it is ready, Kubernetes tabs, self-service databases and environments/,
    );
  });

  it('says a first build takes minutes when none was recorded', () => {
    expect(
      describeLocalCluster({ state: 'building' }, { now, sawProgress: false })
        ?.description,
    ).toMatch(/^Building\. A first build takes several minutes\./);
  });

  it('says the cluster is starting, and what it is doing', () => {
    expect(
      describeLocalCluster(
        { state: 'starting', step: "restarting the portal's backend" },
        { now, sawProgress: true },
      ),
    ).toMatchObject({
      title: 'The local Kubernetes cluster is starting',
      description: expect.stringMatching(
        /^Now restarting the portal's backend\. /,
      ),
      pending: true,
    });
  });

  it('offers a reload when it became ready while the page was open, and is quiet otherwise', () => {
    expect(
      describeLocalCluster({ state: 'ready' }, { now, sawProgress: true }),
    ).toMatchObject({ status: 'success', reload: true });
    expect(
      describeLocalCluster({ state: 'ready' }, { now, sawProgress: false }),
    ).toBeUndefined();
  });

  it('says why it failed', () => {
    expect(
      describeLocalCluster(
        {
          state: 'failed',
          message:
            'The build failed: Go 1.26+ is needed to build the control plane (log: /d/cluster-build.log).',
        },
        { now, sawProgress: true },
      ),
    ).toMatchObject({
      status: 'warning',
      pending: false,
      title: 'The local Kubernetes cluster is not available',
      description: expect.stringMatching(
        /^The build failed: Go 1\.26\+ is needed/,
      ),
    });
  });

  it('says nothing where there is no local cluster', () => {
    expect(
      describeLocalCluster({ state: 'off' }, { now, sawProgress: true }),
    ).toBeUndefined();
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [180, '3 min'],
    [412, '6 min 52 s'],
    [59.6, '1 min'],
  ])('%p seconds read %p', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
