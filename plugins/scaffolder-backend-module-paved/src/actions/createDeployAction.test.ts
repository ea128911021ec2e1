import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import {
  operation,
  provisioningAnswering,
  request,
} from '../__testUtils__/workloadRequests';
import { HttpDeploymentsClient } from '../provisioning/DeploymentsClient';
import { createDeployAction } from './createDeployAction';

const SCORE = `apiVersion: score.dev/v1b1
metadata:
  name: orders-api
containers:
  main:
    image: .
    variables:
      PGHOST: \${resources.db.host}
resources:
  db:
    type: postgres
`;

/**
 * The deployments API as a real HTTP server: answers `POST /deployments` with the
 * next of `answers` (status and body) and records what it was sent.
 */
async function fakeDeploymentsApi() {
  const received: Array<{ authorization?: string; body: any }> = [];
  const answers: Array<{ status: number; body: unknown }> = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', chunk => (text += chunk));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/api/provisioning/deployments'
      ) {
        res.writeHead(404).end();
        return;
      }
      received.push({
        authorization: req.headers.authorization,
        body: JSON.parse(text),
      });
      const answer = answers.shift() ?? { status: 500, body: {} };
      // Refusals in the shape of Backstage's error handler.
      const body =
        answer.status >= 400
          ? {
              ...(answer.body as object),
              request: { method: req.method, url: req.url },
              response: { statusCode: answer.status },
            }
          : answer.body;
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = new HttpDeploymentsClient(
    mockServices.discovery.mock({
      getBaseUrl: async (id: string) => `http://127.0.0.1:${port}/api/${id}`,
    }),
    mockServices.auth(),
  );
  return { server, client, received, answers };
}

/** The API's answer (202): the rollout is an operation of the workload request. */
const deployment = {
  requestId: 'req-1',
  operationId: 'op-1',
  state: 'provisioning',
};

const input = {
  component: 'component:default/orders-api',
  environment: 'orders-api-dev',
  image: 'orders-api:latest',
};

describe('paved:deploy', () => {
  let api: Awaited<ReturnType<typeof fakeDeploymentsApi>>;
  let workspace: string;
  beforeAll(async () => {
    api = await fakeDeploymentsApi();
  });
  afterAll(() => api.server.close());
  beforeEach(() => {
    api.received.length = 0;
    api.answers.length = 0;
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-deploy-'));
    fs.writeFileSync(path.join(workspace, 'score.yaml'), SCORE);
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  /** The action with a provisioning API that answers each GET with the next of `states`. */
  const make = (states: ProvisioningRequestDetails[]) => {
    const provisioning = provisioningAnswering(states);
    const action = createDeployAction({
      deployments: api.client,
      provisioning,
      appBaseUrl: 'http://portal.test',
      pollIntervalMs: 1,
    });
    return { action, provisioning };
  };
  const context = (extra: Record<string, unknown> = {}) =>
    createMockActionContext<any, any>({
      input: { ...input, ...extra },
      workspacePath: workspace,
    });

  it("posts the workspace's score.yaml as the user, follows the rollout and links to it", async () => {
    api.answers.push({ status: 202, body: deployment });
    const { action, provisioning } = make([
      request('provisioning', ['requested'], [operation('running')]),
      request(
        'provisioning',
        ['requested', 'resolved resources.db: postgres orders-api-db'],
        [operation('running')],
      ),
      request(
        'ready',
        [
          'requested',
          'resolved resources.db: postgres orders-api-db',
          'rollout finished: 1/1 pods ready',
        ],
        [operation('succeeded')],
      ),
    ]);
    const ctx = context();
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);

    expect(api.received).toHaveLength(1);
    expect(api.received[0].authorization).toMatch(/^Bearer /);
    expect(api.received[0].body).toEqual({
      ...input,
      workload: {
        apiVersion: 'score.dev/v1b1',
        metadata: { name: 'orders-api' },
        containers: {
          main: {
            image: '.',
            variables: { PGHOST: '${resources.db.host}' },
          },
        },
        resources: { db: { type: 'postgres' } },
      },
    });
    expect(provisioning.getRequest).toHaveBeenCalledWith(
      'req-1',
      await ctx.getInitiatorCredentials(),
    );
    const lines = info.mock.calls.map(([line]) => String(line));
    expect(
      lines.filter(line =>
        line.endsWith('resolved resources.db: postgres orders-api-db'),
      ),
    ).toHaveLength(1);
    expect(
      lines.some(line => line.endsWith('rollout finished: 1/1 pods ready')),
    ).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith('requestId', 'req-1');
    expect(ctx.output).toHaveBeenCalledWith(
      'requestUrl',
      'http://portal.test/self-service/requests/req-1',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });

  it('takes another Score file when told', async () => {
    fs.mkdirSync(path.join(workspace, 'deploy'));
    fs.writeFileSync(
      path.join(workspace, 'deploy', 'score.yaml'),
      SCORE.replace('name: orders-api', 'name: orders-worker'),
    );
    api.answers.push({ status: 202, body: deployment });
    const { action } = make([request('ready', [], [operation('succeeded')])]);
    await action.handler(context({ scoreFile: 'deploy/score.yaml' }));
    expect(api.received[0].body.workload.metadata.name).toBe('orders-worker');
  });

  it("fails with the API's refusal, which names the field, as an input error", async () => {
    api.answers.push({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message: "image: 'Orders API' is not a valid image reference",
        },
      },
    });
    const { action, provisioning } = make([]);
    const error = await action
      .handler(context({ image: 'Orders API' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "image: 'Orders API' is not a valid image reference",
    );
    expect(provisioning.getRequest).not.toHaveBeenCalled();
  });

  it('passes a 403 for an environment the user may not deploy to on as an input error', async () => {
    api.answers.push({
      status: 403,
      body: {
        error: {
          name: 'NotAllowedError',
          message:
            "parameters.environmentName: you may not deploy to environment 'payments-prod'",
        },
      },
    });
    const { action } = make([]);
    const error = await action
      .handler(context({ environment: 'payments-prod' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "parameters.environmentName: you may not deploy to environment 'payments-prod'",
    );
  });

  it("fails with the pods' reasons when the rollout fails", async () => {
    api.answers.push({ status: 202, body: deployment });
    const { action } = make([
      request('provisioning', ['requested'], [operation('running')]),
      request(
        'failed',
        ['requested', 'rollout failed'],
        [
          operation(
            'failed',
            'ReplicaFailure: exceeded quota: compute-resources',
          ),
        ],
      ),
    ]);
    await expect(action.handler(context())).rejects.toThrow(
      'The deployment failed: ReplicaFailure: exceeded quota: compute-resources',
    );
  });

  it('ends the step when the deployment waits for an approval', async () => {
    api.answers.push({ status: 202, body: deployment });
    const { action } = make([
      request('ready', ['approval asked'], [operation('pending-approval')]),
    ]);
    const ctx = context();
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'pending-approval');
  });

  it('follows the request state when the API names no operation', async () => {
    api.answers.push({
      status: 202,
      body: { ...deployment, operationId: undefined },
    });
    const { action } = make([
      request('provisioning', [], []),
      request('failed', [], []),
    ]);
    await expect(action.handler(context())).rejects.toThrow(
      'The deployment failed: the workload request is failed',
    );
  });

  it('gives up waiting after its timeout, saying the deployment goes on', async () => {
    api.answers.push({ status: 202, body: deployment });
    const { action } = make([
      request('provisioning', [], [operation('running')]),
    ]);
    const now = Date.now();
    const clock = jest
      .spyOn(Date, 'now')
      .mockReturnValueOnce(now)
      .mockReturnValue(now + 2 * 60_000);
    try {
      await expect(
        action.handler(context({ timeoutMinutes: 1 })),
      ).rejects.toThrow(
        'The deployment is still rolling out after 1 min; it goes on without this task: http://portal.test/self-service/requests/req-1',
      );
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses a missing, broken or non-Score file, naming scoreFile, before calling the API', async () => {
    const { action } = make([]);
    await expect(
      action.handler(context({ scoreFile: 'missing.yaml' })),
    ).rejects.toThrow("scoreFile 'missing.yaml' is not in the workspace");
    fs.writeFileSync(path.join(workspace, 'broken.yaml'), 'a: [');
    await expect(
      action.handler(context({ scoreFile: 'broken.yaml' })),
    ).rejects.toThrow(
      "scoreFile 'broken.yaml' is not a valid Score workload: $: YAML",
    );
    fs.writeFileSync(path.join(workspace, 'k8s.yaml'), 'apiVersion: v1\n');
    await expect(
      action.handler(context({ scoreFile: 'k8s.yaml' })),
    ).rejects.toThrow(
      /^scoreFile 'k8s.yaml' is not a valid Score workload: .*apiVersion/,
    );
    await expect(
      action.handler(context({ scoreFile: '../outside.yaml' })),
    ).rejects.toThrow();
    expect(api.received).toHaveLength(0);
  });

  it('reads the file in a dry run and deploys nothing', async () => {
    const { action } = make([]);
    const ctx = context();
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler({ ...ctx, isDryRun: true });
    expect(api.received).toHaveLength(0);
    expect(String(info.mock.calls[0][0])).toBe(
      "Dry run: would deploy workload 'orders-api' of component:default/orders-api with image orders-api:latest to environment 'orders-api-dev'",
    );
  });
});
