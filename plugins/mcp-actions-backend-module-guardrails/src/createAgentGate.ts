import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { agentClientOf, principalRef } from '@paved/agent-guardrails';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import express, { Request, Response, Router } from 'express';
import { captureReply } from './captureReply';
import {
  JsonRpcOutcome,
  JsonRpcRequest,
  jsonRpcRequestsOf,
  outcomeOf,
  repliesOf,
} from './jsonRpc';

/** The usage events' plugin: the adoption dashboard shows its actions as agent calls. */
export const AGENTS_USAGE_PLUGIN = 'agents';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The tool a call names, fit for an audit field and a usage event's action. */
function toolNameOf(call: JsonRpcRequest): string {
  const name = call.params?.name;
  return (typeof name === 'string' && name.slice(0, 100)) || '(none)';
}

/**
 * The gate in front of the MCP server (`/api/mcp-actions/v1`, and `/v1/<server>`):
 * for every POST it reads the JSON-RPC messages before the server does, and once the
 * reply is sent it audits and records what happened, with the user the agent acts
 * for and the agent (the MCP client) itself:
 *
 * - `initialize`: audits `agent-connect` with the client's name;
 * - `tools/call`: audits `agent-tool-call` (tool, client, actor) and records a usage
 *   event of the `agents` plugin, failed when the reply is an HTTP error, a JSON-RPC
 *   error or a tool result with `isError: true` (refusals by `paved.agents` and the
 *   permission framework are such results).
 *
 * It decides nothing: the actions check the agent policy and permissions themselves.
 * It never logs or records a call's arguments: they may carry secrets.
 */
export function createAgentGate(deps: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  usage: UsageRecorder;
  logger: LoggerService;
}): Router {
  const { httpAuth, auditor, usage, logger } = deps;

  async function watch(req: Request, res: Response) {
    const requests = jsonRpcRequestsOf(req.body);
    const initialize = requests.find(r => r.method === 'initialize');
    const calls = requests.filter(r => r.method === 'tools/call');
    if (!initialize && calls.length === 0) {
      return;
    }
    const credentials = await httpAuth
      .credentials(req, { allow: ['user', 'service'] })
      .catch(() => undefined);
    if (!credentials) {
      // The MCP server refuses it itself; there is no user to audit it for.
      return;
    }
    const actor = principalRef(credentials);
    const clientInfo = initialize?.params?.clientInfo;
    const client = agentClientOf({
      headers: req.headers,
      clientInfo: isObject(clientInfo) ? clientInfo : undefined,
    });
    const started = Date.now();
    const reply = calls.length > 0 ? captureReply(res) : undefined;

    const connectEvent = initialize
      ? await auditor.createEvent({
          eventId: 'agent-connect',
          severityLevel: 'low',
          request: req,
          meta: { client, actor },
        })
      : undefined;
    const callEvents = await Promise.all(
      calls.map(async call => {
        const tool = toolNameOf(call);
        const event = await auditor.createEvent({
          eventId: 'agent-tool-call',
          severityLevel: 'medium',
          request: req,
          meta: { tool, client, actor },
        });
        return { call, tool, event };
      }),
    );

    const settle = async () => {
      const sent = res.writableFinished;
      const httpFailed = res.statusCode >= 400;
      const replies = reply
        ? repliesOf(reply.text(), String(res.getHeader('content-type') ?? ''))
        : [];
      const fallback = (): JsonRpcOutcome => {
        if (!sent) {
          return {
            failed: true,
            why: 'the connection closed before the reply',
          };
        }
        if (reply?.truncated()) {
          // Only a tool's output is this long; an error result says so at its end.
          return { failed: /"isError":true/.test(reply.text()) };
        }
        return { failed: true, why: 'no reply to the call' };
      };
      const durationMs = Date.now() - started;

      if (connectEvent) {
        await (httpFailed || !sent
          ? connectEvent.fail({
              error: new Error(`HTTP ${res.statusCode}`),
            })
          : connectEvent.success());
      }
      for (const { call, tool, event } of callEvents) {
        const outcome: JsonRpcOutcome = httpFailed
          ? { failed: true, why: `HTTP ${res.statusCode}` }
          : outcomeOf(replies, call.id) ?? fallback();
        await (outcome.failed
          ? event.fail({
              // The server's description of the failure (a refusal names its rule),
              // never the arguments.
              error: new Error((outcome.why ?? 'failed').slice(0, 500)),
              meta: { durationMs },
            })
          : event.success({ meta: { durationMs } }));
        await usage.record({
          action: tool,
          subject: client,
          actor,
          outcome: outcome.failed ? 'failed' : 'succeeded',
          durationMs,
        });
      }
    };

    let settled = false;
    const onSent = () => {
      if (settled) {
        return;
      }
      settled = true;
      settle().catch(error =>
        logger.warn(`Could not audit an MCP call: ${stringifyError(error)}`),
      );
    };
    res.once('finish', onSent);
    res.once('close', onSent);
  }

  const router = Router();
  // The MCP server parses JSON itself (express.json() skips a body parsed already);
  // same parser and limits, so it sees what it would have parsed.
  router.post(
    ['/v1', '/v1/:server'],
    express.json(),
    async (req, res, next) => {
      try {
        await watch(req, res);
      } catch (error) {
        // Watching must never stop the call itself.
        logger.warn(`Could not watch an MCP call: ${stringifyError(error)}`);
      }
      next();
    },
  );
  return router;
}
