import {
  currentReplicaSet,
  Deployment,
  describeState,
  failuresOf,
  isRolledOut,
  Pod,
  podsOf,
  ReplicaSet,
} from './rolloutState';

const deployment = (
  status: Deployment['status'],
  generation = 2,
): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    uid: 'd1',
    generation,
    annotations: { 'deployment.kubernetes.io/revision': '2' },
  },
  spec: { replicas: 1 },
  status,
});

const replicaSet = (uid: string, revision: string): ReplicaSet => ({
  metadata: {
    name: `web-${uid}`,
    uid,
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [
      { uid: 'd1', apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    ],
  },
});

const pod = (
  owner: string,
  status: Pod['status'],
  name = `pod-${owner}`,
): Pod => ({
  metadata: {
    name,
    ownerReferences: [
      { uid: owner, apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner },
    ],
  },
  status,
});

const running: Pod['status'] = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True' }],
};

describe('rollout state', () => {
  const rollingOut = {
    observedGeneration: 2,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
  };

  it("finds the current revision's ReplicaSet and its live pods", () => {
    const rs = currentReplicaSet(deployment(rollingOut), [
      replicaSet('old', '1'),
      replicaSet('new', '2'),
    ]);
    expect(rs?.metadata?.uid).toBe('new');
    const pods = podsOf(rs, [
      pod('old', running),
      pod('new', running),
      {
        ...pod('new', running, 'leaving'),
        metadata: {
          ...pod('new', running).metadata,
          name: 'leaving',
          deletionTimestamp: new Date(),
        },
      },
    ]);
    expect(pods.map(p => p.metadata?.name)).toEqual(['pod-new']);
  });

  it('is rolled out only when the spec is observed, replicas updated and ready, and pods Ready', () => {
    const pods = [pod('new', running)];
    expect(isRolledOut(deployment(rollingOut), pods)).toBe(true);
    expect(
      isRolledOut(deployment({ ...rollingOut, observedGeneration: 1 }), pods),
    ).toBe(false);
    expect(
      isRolledOut(
        deployment({ ...rollingOut, replicas: 2, readyReplicas: 2 }),
        pods,
      ),
    ).toBe(false);
    expect(
      isRolledOut(deployment(rollingOut), [
        pod('new', { phase: 'Running', conditions: [] }),
      ]),
    ).toBe(false);
    expect(isRolledOut(deployment(rollingOut), [])).toBe(false);
  });

  it('fails on a replica failure, a passed deadline and broken pods, with their reasons', () => {
    const failed = failuresOf(
      deployment({
        ...rollingOut,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: 'pods "web-1" is forbidden: exceeded quota: q',
          },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
          { type: 'Available', status: 'False' },
        ],
      }),
      undefined,
      [
        pod('new', {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'api',
              state: {
                waiting: {
                  reason: 'ImagePullBackOff',
                  message: 'Back-off pulling image "x"',
                },
              },
            },
            {
              name: 'proxy',
              state: { waiting: { reason: 'ContainerCreating' } },
            },
          ],
        }),
        pod(
          'new',
          { phase: 'Failed', reason: 'Evicted', message: 'low on memory' },
          'evicted',
        ),
      ],
    );
    expect(failed).toEqual([
      'ReplicaFailure FailedCreate: pods "web-1" is forbidden: exceeded quota: q',
      'Progressing ProgressDeadlineExceeded: ReplicaSet "web-1" has timed out progressing.',
      'pod pod-new container api: ImagePullBackOff: Back-off pulling image "x"',
      'pod evicted Failed (Evicted): low on memory',
    ]);
  });

  it('ignores the conditions of a spec the controller has not seen yet', () => {
    expect(
      failuresOf(
        deployment({
          observedGeneration: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
            },
          ],
        }),
        undefined,
        [],
      ),
    ).toEqual([]);
  });

  it('describes the state for a timeout', () => {
    expect(
      describeState(deployment({ observedGeneration: 2, updatedReplicas: 1 }), [
        pod('new', {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available',
            },
          ],
        }),
      ]),
    ).toBe(
      '1 of 1 replicas updated, 0 ready; pod pod-new Pending (Unschedulable: 0/2 nodes are available)',
    );
    expect(describeState(undefined, [])).toBe('the Deployment does not exist');
  });
});
