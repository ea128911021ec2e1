import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import express, { Request, Response } from 'express';
import request from 'supertest';
import { createAgentGate } from './createAgentGate';

const SECRET = 's3cr3t-token-value';

/**
 * The gate in front of a stand-in for the MCP server, which answers each call the way
 * the test asks: `answer(req, res)`.
 */
function setup(answer: (req: Request, res: Response) => void) {
  const auditor = mockServices.auditor.mock();
  const audits: Array<{ eventId: string; meta: unknown; result?: unknown }> =
    [];
  auditor.createEvent.mockImplementation(async options => {
    const audit: (typeof audits)[number] = {
      eventId: options.eventId,
      meta: options.meta,
    };
    audits.push(audit);
    return {
      success: async () => {
        audit.result = 'success';
      },
      fail: async ({ error }) => {
        audit.result = `fail: ${error.message}`;
      },
    };
  });
  const record = jest.fn(async () => {});
  const app = express();
  app.use(
    createAgentGate({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      auditor,
      logger: mockServices.logger.mock(),
      usage: { record },
    }),
  );
  app.post('/v1', (req, res) => {
    // The server's own parser: the body was parsed once already.
    expect(req.body).toBeDefined();
    answer(req, res);
  });
  app.post('/v1/:server', (req, res) => answer(req, res));
  return { app, audits, record };
}

const settled = () => new Promise(resolve => setTimeout(resolve, 20));

const call = (id: number, name: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: { password: SECRET } },
});
const user = mockCredentials.user.header('user:default/carla');

describe('createAgentGate', () => {
  it('audits and records a tool call answered in JSON', async () => {
    const { app, audits, record } = setup((req, res) =>
      res.json({ jsonrpc: '2.0', id: req.body.id, result: { content: [] } }),
    );

    await request(app)
      .post('/v1')
      .set('Authorization', user)
      .set('X-Paved-Agent', 'cursor')
      .send(call(1, 'provisioning.plan-request'))
      .expect(200);
    await settled();

    expect(audits).toEqual([
      {
        eventId: 'agent-tool-call',
        meta: {
          tool: 'provisioning.plan-request',
          client: 'cursor',
          actor: 'user:default/carla',
        },
        result: 'success',
      },
    ]);
    expect(record).toHaveBeenCalledWith({
      action: 'provisioning.plan-request',
      subject: 'cursor',
      actor: 'user:default/carla',
      outcome: 'succeeded',
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify([audits, record.mock.calls])).not.toContain(SECRET);
  });

  it('reads each call of a batch from an event stream, on a named server too', async () => {
    const { app, audits, record } = setup((_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write(
        `event: message\ndata: ${JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          result: {
            content: [{ type: 'text', text: 'NotAllowedError: Refused by r' }],
            isError: true,
          },
        })}\n\n`,
      );
      res.end(
        `event: message\ndata: ${JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          result: { content: [] },
        })}\n\n`,
      );
    });

    await request(app)
      .post('/v1/paved')
      .set('Authorization', user)
      .set('User-Agent', 'claude-code/1.0.3 (linux)')
      .send([call(1, 'a.read'), call(2, 'a.delete')])
      .expect(200);
    await settled();

    expect(audits.map(a => [a.meta, a.result])).toEqual([
      [
        {
          tool: 'a.read',
          client: 'claude-code/1.0.3',
          actor: 'user:default/carla',
        },
        'success',
      ],
      [
        {
          tool: 'a.delete',
          client: 'claude-code/1.0.3',
          actor: 'user:default/carla',
        },
        'fail: NotAllowedError: Refused by r',
      ],
    ]);
    expect(
      record.mock.calls.map(([e]: any[]) => [e.action, e.outcome]),
    ).toEqual([
      ['a.read', 'succeeded'],
      ['a.delete', 'failed'],
    ]);
  });

  it('counts an HTTP error as a failure', async () => {
    const { app, audits, record } = setup((_req, res) =>
      res.status(500).json({ jsonrpc: '2.0', id: null, error: {} }),
    );
    await request(app)
      .post('/v1')
      .set('Authorization', user)
      .send(call(1, 'x.y'))
      .expect(500);
    await settled();
    expect(audits[0].result).toBe('fail: HTTP 500');
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'failed' }),
    );
  });

  it('audits an initialize with its clientInfo, and leaves other messages alone', async () => {
    const { app, audits, record } = setup((req, res) =>
      res.json({ jsonrpc: '2.0', id: req.body.id ?? null, result: {} }),
    );
    await request(app)
      .post('/v1')
      .set('Authorization', user)
      .send({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { clientInfo: { name: 'vscode', version: '1.96' } },
      })
      .expect(200);
    await request(app)
      .post('/v1')
      .set('Authorization', user)
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
      .expect(200);
    await settled();

    expect(audits).toEqual([
      {
        eventId: 'agent-connect',
        meta: { client: 'vscode/1.96', actor: 'user:default/carla' },
        result: 'success',
      },
    ]);
    expect(record).not.toHaveBeenCalled();
  });

  it('leaves a call without a user to the MCP server', async () => {
    const { app, audits } = setup((_req, res) => res.status(401).end());
    await request(app).post('/v1').send(call(1, 'x.y')).expect(401);
    await settled();
    expect(audits).toEqual([]);
  });

  it('counts a reply that never came as a failure', async () => {
    const { app, audits } = setup(req => req.socket.destroy());
    await request(app)
      .post('/v1')
      .set('Authorization', user)
      .send(call(1, 'x.y'))
      .catch(() => undefined);
    await settled();
    expect(audits[0].result).toBe(
      'fail: the connection closed before the reply',
    );
  });
});
