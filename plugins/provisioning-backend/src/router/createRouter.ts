import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { ApprovalService } from '../service/ApprovalService';
import { OperationService } from '../service/OperationService';
import { RequestService } from '../service/RequestService';
import { audited } from './audited';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** The provisioning API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  requests: RequestService;
  approvals: ApprovalService;
  operations: OperationService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}): express.Router {
  const { requests, approvals, operations, httpAuth, auditor } = options;
  const router = Router();
  router.use(express.json());

  // Users act through the portal; services (CI with a static token) through the API.
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/types', async (req, res) => {
    await credentials(req);
    res.json({ items: requests.listTypes() });
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
      },
      () => requests.create(req.body, caller),
      result => ({ requestId: result.request.id, created: result.created }),
    );
    res.status(created ? 201 : 200).json(request);
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
      const request = await audited(
        auditor,
        {
          eventId: `request-${decision}`,
          request: req,
          meta: { requestId: req.params.id },
        },
        () => approvals[decision](req.params.id, req.body, caller),
        result => ({ state: result.state }),
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
      },
      () =>
        operations.runAction(
          req.params.id,
          req.params.action,
          req.body,
          caller,
        ),
      result => ({ operationId: result.operation.id, created: result.created }),
    );
    res.status(202).json(operation);
  });

  router.delete('/requests/:id', async (req, res) => {
    const caller = await credentials(req);
    const request = await audited(
      auditor,
      {
        eventId: 'request-delete',
        request: req,
        meta: { requestId: req.params.id },
      },
      () => operations.delete(req.params.id, caller),
      result => ({ state: result.state }),
    );
    res.status(202).json(request);
  });

  return router;
}
