import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { normalizeRef, RunbookService } from '../service/RunbookService';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import {
  audited,
  parseInput,
  refuseNulCharacters,
} from '@paved/backend-plugin-utils';

const runBody = z.strictObject({
  templateRef: z.string().min(1),
  entityRef: z.string().min(1),
  values: z.record(z.string(), z.unknown()).optional(),
});

/** The runbooks API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  runbooks: RunbookService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  usage: UsageRecorder;
}): express.Router {
  const { runbooks, httpAuth, auditor, usage } = options;
  const router = Router();
  router.use(express.json());
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  router.get('/runbooks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = normalizeRef(req.query.entityRef, 'entityRef');
    res.json({ items: await runbooks.listRunbooks(entityRef, credentials) });
  });

  router.get('/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = normalizeRef(req.query.entityRef, 'entityRef');
    res.json({ items: await runbooks.listRuns(entityRef, credentials) });
  });

  router.post('/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseInput(runBody, req.body, 'request');
    const templateRef = normalizeRef(
      body.templateRef,
      'templateRef',
      'template',
    );
    const entityRef = normalizeRef(body.entityRef, 'entityRef');
    const { taskId } = await audited(
      auditor,
      {
        eventId: 'runbook-run',
        request: req,
        meta: { templateRef, entityRef },
        usage: {
          recorder: usage,
          actor: credentials.principal.userEntityRef,
          facts: { subject: templateRef, attributes: { entityRef } },
          errorFacts: error => ({
            attributes: { entityRef, error: (error as Error).name ?? 'Error' },
          }),
        },
      },
      () =>
        runbooks.run(
          {
            templateRef,
            entityRef,
            values: (body.values ?? {}) as Record<string, never>,
          },
          credentials,
        ),
      result => ({ taskId: result.taskId }),
      result => ({
        team: ownerRef(result.entity.spec?.owner),
        attributes: { entityRef, taskId: result.taskId },
      }),
    );
    res.status(201).json({ taskId });
  });

  return router;
}

function ownerRef(owner: unknown): string | undefined {
  try {
    return typeof owner === 'string'
      ? stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group' }))
      : undefined;
  } catch {
    return undefined;
  }
}
