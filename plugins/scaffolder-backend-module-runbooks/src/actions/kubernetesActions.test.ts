/*
 * The Kubernetes runbook actions against the real local control plane (pods run on
 * the simulated kwok nodes), as the portal's RBAC-limited identity. Needs what
 * ./paved test starts; fails (never skips) without it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  AppsV1Api,
  CoreV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  createTestNamespace,
  requireTestCluster,
  TestNamespace,
} from '@paved/kube-test-utils';
import {
  createReadyDeployment,
  deployment,
  portalKubernetes,
  waitForRollout,
} from '../__testUtils__/deployments';
import { ProvisioningRequests } from '../clients/ProvisioningRequests';
import { createDiagnosticsAction } from './diagnostics';
import { createRollbackAction } from './rollback';
import {
  createRolloutRestartAction,
  RESTARTED_AT_ANNOTATION,
} from './rolloutRestart';
import { createScaleAction } from './scale';

jest.setTimeout(120_000);

describe('the Kubernetes runbook actions', () => {
  const cluster = requireTestCluster();
  const kubernetes = portalKubernetes(cluster);
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  let ns: TestNamespace;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    ns = await createTestNamespace(cluster.kubeConfig, 'runbooks');
  });
  afterAll(async () => {
    await ns?.cleanup();
    // The figures the report quotes: from the action's start to the effect observed.
    // eslint-disable-next-line no-console
    console.log(`runbook action timings (ms): ${JSON.stringify(timings)}`);
  });

  const context = (input: object, extra: object = {}) => {
    const checkpoints = new Map<string, unknown>();
    const outputs: Record<string, unknown> = {};
    const lines: string[] = [];
    const logger = mockServices.logger.mock();
    logger.info.mockImplementation(message => {
      lines.push(String(message));
    });
    const ctx = {
      ...createMockActionContext({ input: input as any, logger }),
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      checkpoint: (async ({ key, fn }: { key: string; fn: () => unknown }) => {
        if (!checkpoints.has(key)) {
          checkpoints.set(key, await fn());
        }
        return checkpoints.get(key);
      }) as any,
      ...extra,
    };
    return { ctx, outputs, lines, checkpoints };
  };

  it('restarts a deployment: a new ReplicaSet whose pods run, once even when the task is recovered', async () => {
    await createReadyDeployment(cluster, deployment(ns.name, 'restart-me'));
    const action = createRolloutRestartAction({
      kubernetes,
      pollIntervalMs: 200,
    });
    const run = context({ namespace: ns.name, deployment: 'restart-me' });
    const started = Date.now();
    await action.handler(run.ctx);
    timings.restart = Date.now() - started;

    const restartedAt = run.outputs.restartedAt as string;
    const after = await apps.readNamespacedDeployment({
      namespace: ns.name,
      name: 'restart-me',
    });
    expect(
      after.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION],
    ).toBe(restartedAt);
    const sets = await kubernetes.replicaSetsOf(after);
    expect(sets).toHaveLength(2);
    const fresh = sets.find(rs => rs.metadata?.name === run.outputs.replicaSet);
    expect(fresh?.status?.readyReplicas).toBe(2);
    const pods = await core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: `pod-template-hash=${fresh?.metadata?.labels?.['pod-template-hash']}`,
    });
    expect(pods.items.map(p => p.status?.phase)).toEqual([
      'Running',
      'Running',
    ]);

    // A recovered task reuses the checkpointed time: no third ReplicaSet.
    await action.handler(run.ctx);
    expect(await kubernetes.replicaSetsOf(after)).toHaveLength(2);
    expect(run.outputs.restartedAt).toBe(restartedAt);
  });

  it('scales within the limits and refuses beyond them, naming replicas and the range', async () => {
    await createReadyDeployment(
      cluster,
      deployment(ns.name, 'scale-me', { replicas: 1, maxReplicas: 4 }),
    );
    const action = createScaleAction({
      kubernetes,
      maxReplicas: 10,
      pollIntervalMs: 200,
    });
    const started = Date.now();
    const run = context({
      namespace: ns.name,
      deployment: 'scale-me',
      replicas: 3,
    });
    await action.handler(run.ctx);
    timings.scale = Date.now() - started;
    expect(run.outputs).toEqual({ previousReplicas: 1, replicas: 3 });
    const scaled = await apps.readNamespacedDeployment({
      namespace: ns.name,
      name: 'scale-me',
    });
    expect(scaled.status?.readyReplicas).toBe(3);

    await expect(
      action.handler(
        context({ namespace: ns.name, deployment: 'scale-me', replicas: 5 })
          .ctx,
      ),
    ).rejects.toThrow(
      'replicas must be between 1 and 4 for deployment ' +
        `${ns.name}/scale-me; got 5`,
    );
    await expect(
      action.handler(
        context({ namespace: ns.name, deployment: 'scale-me', replicas: 0 })
          .ctx,
      ),
    ).rejects.toThrow(/replicas must be between 1 and 4/);
    expect(
      (
        await apps.readNamespacedDeployment({
          namespace: ns.name,
          name: 'scale-me',
        })
      ).spec?.replicas,
    ).toBe(3);
  });

  it('rolls back to the previous pod template', async () => {
    await createReadyDeployment(
      cluster,
      deployment(ns.name, 'roll-me', { image: 'registry.example/app:1.0.0' }),
    );
    await apps.patchNamespacedDeployment(
      {
        namespace: ns.name,
        name: 'roll-me',
        body: [
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/image',
            value: 'registry.example/app:2.0.0-broken',
          },
        ],
      },
      setHeaderOptions('Content-Type', 'application/json-patch+json'),
    );
    await waitForRollout(cluster, ns.name, 'roll-me');

    const action = createRollbackAction({ kubernetes, pollIntervalMs: 200 });
    const run = context({ namespace: ns.name, deployment: 'roll-me' });
    const started = Date.now();
    await action.handler(run.ctx);
    timings.rollback = Date.now() - started;
    expect(run.outputs).toEqual({ fromRevision: 2, toRevision: 1 });
    const after = await waitForRollout(cluster, ns.name, 'roll-me');
    expect(after.spec?.template?.spec?.containers?.[0].image).toBe(
      'registry.example/app:1.0.0',
    );
    // As kubectl rollout undo: the old ReplicaSet is reused, now revision 3.
    expect(
      after.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('3');
    expect(after.spec?.template?.metadata?.labels).not.toHaveProperty(
      'pod-template-hash',
    );

    // A recovered task keeps its choice instead of undoing its own rollback.
    await action.handler(run.ctx);
    expect(
      (
        await apps.readNamespacedDeployment({
          namespace: ns.name,
          name: 'roll-me',
        })
      ).spec?.template?.spec?.containers?.[0].image,
    ).toBe('registry.example/app:1.0.0');

    await expect(
      action.handler(
        context({ namespace: ns.name, deployment: 'roll-me', toRevision: 9 })
          .ctx,
      ),
    ).rejects.toThrow(/toRevision 9 is not a revision of deployment/);
  });

  it('changes nothing in a dry run, and says which fields it would change', async () => {
    await createReadyDeployment(cluster, deployment(ns.name, 'dry-me'));
    const read = () =>
      apps.readNamespacedDeployment({ namespace: ns.name, name: 'dry-me' });
    const before = await read();

    const restart = context(
      { namespace: ns.name, deployment: 'dry-me' },
      { isDryRun: true },
    );
    await createRolloutRestartAction({ kubernetes }).handler(restart.ctx);
    expect(restart.lines.join('\n')).toMatch(
      /Dry run: would restart deployment .*spec\.template\.metadata\.annotations\.kubectl\.kubernetes\.io\/restartedAt: \(none\) → "/,
    );

    const scale = context(
      { namespace: ns.name, deployment: 'dry-me', replicas: 4 },
      { isDryRun: true },
    );
    await createScaleAction({ kubernetes, maxReplicas: 10 }).handler(scale.ctx);
    expect(scale.lines.join('\n')).toContain('spec.replicas: 2 → 4');

    const rollback = context(
      { namespace: ns.name, deployment: 'dry-me' },
      { isDryRun: true },
    );
    await expect(
      createRollbackAction({ kubernetes }).handler(rollback.ctx),
    ).rejects.toThrow(/has no revision before 1/);

    const after = await read();
    expect(after.metadata?.resourceVersion).toBe(
      before.metadata?.resourceVersion,
    );
    expect(after.spec).toEqual(before.spec);
    expect(await kubernetes.replicaSetsOf(after)).toHaveLength(1);
  });

  it('collects the pods, their restarts and the real events of the workload', async () => {
    await createReadyDeployment(
      cluster,
      deployment(ns.name, 'diagnose-me', { replicas: 2 }),
    );
    const provisioning = {
      list: async () => [
        {
          id: 'r1',
          type: 'postgres',
          name: 'diagnose-db',
          owner: 'group:default/checkout-team',
          parameters: { component: 'component:default/diagnose-me' },
          state: 'ready',
        },
        {
          id: 'r2',
          type: 'postgres',
          name: 'someone-elses',
          owner: 'group:default/other-team',
          parameters: { component: 'component:default/other' },
          state: 'ready',
        },
      ],
    } as unknown as ProvisioningRequests;
    const run = context({
      namespace: ns.name,
      entityRef: 'component:default/diagnose-me',
      kubernetesId: 'diagnose-me',
    });
    await createDiagnosticsAction({ kubernetes, provisioning }).handler(
      run.ctx,
    );
    const report = run.outputs.report as any;
    expect(report.deployments).toEqual([
      expect.objectContaining({
        name: 'diagnose-me',
        replicas: 2,
        readyReplicas: 2,
      }),
    ]);
    expect(report.pods).toHaveLength(2);
    expect(report.pods[0]).toMatchObject({ phase: 'Running', restarts: 0 });
    // The controllers' own events: the ReplicaSet made the pods, the scheduler placed them.
    const reasons = report.events.map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['ScalingReplicaSet', 'SuccessfulCreate']),
    );
    expect(
      report.events.every((e: { object: string }) =>
        /(diagnose-me)/.test(e.object),
      ),
    ).toBe(true);
    const times = report.events.map((e: { time: string }) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(report.resources).toEqual([
      { type: 'postgres', name: 'diagnose-db', state: 'ready' },
    ]);
    expect(run.lines.join('\n')).toContain('Pods (2):');
  });
});
