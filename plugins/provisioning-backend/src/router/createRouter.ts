import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { LocalClusterStatus } from '@paved/plugin-provisioning-common';
import express from 'express';
import Router from 'express-promise-router';
import { ApprovalService } from '../service/ApprovalService';
import { ExpiryService } from '../service/ExpiryService';
import { OperationService } from '../service/OperationService';
import { RequestService } from '../service/RequestService';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import {
  actorOf,
  audited,
  refuseNulCharacters,
  UsageFacts,
} from '@paved/backend-plugin-utils';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** The provisioning API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  requests: RequestService;
  approvals: ApprovalService;
  operations: OperationService;
  expiry: ExpiryService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  usage: UsageRecorder;
  localCluster: { read(): Promise<LocalClusterStatus> };
}): express.Router {
  const { requests, approvals, operations, expiry, httpAuth, auditor } =
    options;
  const router = Router();
  router.use(express.json());
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  // Users act through the portal; services (CI with a static token) through the API.
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** The usage event of a mutation: who, and on what type for which team. */
  const usage = (caller: BackstageCredentials, facts: UsageFacts = {}) => ({
    recorder: options.usage,
    actor: actorOf(caller),
    facts,
  });
  const ofRequest = (request: { type: string; owner: string }) => ({
    subject: request.type,
    team: request.owner,
  });

  router.get('/types', async (req, res) => {
    await credentials(req);
    res.json({ items: requests.listTypes() });
  });

  // Whether the local cluster that types such as postgres need is still being built.
  router.get('/local-cluster', async (req, res) => {
    await credentials(req);
    res.json(await options.localCluster.read());
  });

  router.post('/requests', async (req, res) => {
    const caller = await credentials(req);
    const { request, created } = await audited(
      auditor,
      {
        eventId: 'request-create',
        request: req,
        meta: {
          type: text(req.body?.type),
          name: text(req.body?.name),
          owner: text(req.body?.owner),
        },
        usage: usage(caller, {
          subject: text(req.body?.type) ?? undefined,
          team: text(req.body?.owner) ?? undefined,
        }),
      },
      () => requests.create(req.body, caller),
      result => ({ requestId: result.request.id, created: result.created }),
      result => ({
        ...ofRequest(result.request),
        attributes: { created: result.created, state: result.request.state },
      }),
    );
    res.status(created ? 201 : 200).json(request);
  });

  // What POST /requests would do with the same body, storing nothing: a read, so
  // neither audited nor counted as usage.
  router.post('/plan', async (req, res) => {
    res.json(await requests.plan(req.body, await credentials(req)));
  });

  router.get('/requests', async (req, res) => {
    res.json(await requests.list(req.query, await credentials(req)));
  });

  router.get('/requests/:id', async (req, res) => {
    res.json(await requests.get(req.params.id, await credentials(req)));
  });

  router.get('/requests/:id/status', async (req, res) => {
    res.json(await requests.status(req.params.id, await credentials(req)));
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/${decision}`, async (req, res) => {
      const caller = await credentials(req);
      const { request } = await audited(
        auditor,
        {
          eventId: `request-${decision}`,
          request: req,
          meta: { requestId: req.params.id },
          usage: usage(caller),
        },
        () => approvals[decision](req.params.id, req.body, caller),
        // A decision on a held day-2 action names it.
        result => ({
          state: result.request.state,
          ...(result.action
            ? {
                operationId: result.action.id,
                action: result.action.action,
              }
            : {}),
        }),
        result => ofRequest(result.request),
      );
      res.json(request);
    });
  }

  router.post('/requests/:id/actions/:action', async (req, res) => {
    const caller = await credentials(req);
    const { operation } = await audited(
      auditor,
      {
        eventId: 'request-action',
        request: req,
        meta: { requestId: req.params.id, action: req.params.action },
        usage: usage(caller, { attributes: { action: req.params.action } }),
      },
      () =>
        operations.runAction(
          req.params.id,
          req.params.action,
          req.body,
          caller,
        ),
      result => ({
        operationId: result.operation.id,
        created: result.created,
        status: result.operation.status,
      }),
    );
    res.status(202).json(operation);
  });

  // A visit of the resource's page by its owners: it is in use, so it lives on.
  router.post('/requests/:id/activity', async (req, res) => {
    const caller = await credentials(req);
    res.json(await expiry.recordActivity(req.params.id, caller));
  });

  router.post('/requests/:id/extend', async (req, res) => {
    const caller = await credentials(req);
    const request = await audited(
      auditor,
      {
        eventId: 'request-extend',
        request: req,
        meta: { requestId: req.params.id, hours: req.body?.hours ?? null },
        usage: usage(caller),
      },
      () => expiry.extend(req.params.id, req.body, caller),
      result => ({ expiresAt: result.expiresAt ?? null }),
      ofRequest,
    );
    res.json(request);
  });

  router.delete('/requests/:id', async (req, res) => {
    const caller = await credentials(req);
    const request = await audited(
      auditor,
      {
        eventId: 'request-delete',
        request: req,
        meta: { requestId: req.params.id },
        usage: usage(caller),
      },
      () => operations.delete(req.params.id, caller),
      result => ({ state: result.state }),
      ofRequest,
    );
    res.status(202).json(request);
  });

  return router;
}
