import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { normalizeRef, RunbookService } from '../service/RunbookService';
import { UsageRecorder } from '@paved/plugin-adoption-node';

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
    const parsed = runBody.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
    }
    const templateRef = normalizeRef(
      parsed.data.templateRef,
      'templateRef',
      'template',
    );
    const entityRef = normalizeRef(parsed.data.entityRef, 'entityRef');
    const event = await auditor.createEvent({
      eventId: 'runbook-run',
      severityLevel: 'medium',
      request: req,
      meta: { templateRef, entityRef },
    });
    const started = Date.now();
    const actor = credentials.principal.userEntityRef;
    try {
      const { taskId, entity } = await runbooks.run(
        {
          templateRef,
          entityRef,
          values: (parsed.data.values ?? {}) as Record<string, never>,
        },
        credentials,
      );
      await event.success({ meta: { taskId } });
      await usage.record({
        action: 'runbook-run',
        subject: templateRef,
        actor,
        team: ownerRef(entity.spec?.owner),
        outcome: 'succeeded',
        durationMs: Date.now() - started,
        attributes: { entityRef, taskId },
      });
      res.status(201).json({ taskId });
    } catch (error) {
      await event.fail({ error: error as Error });
      await usage.record({
        action: 'runbook-run',
        subject: templateRef,
        actor,
        outcome: 'failed',
        durationMs: Date.now() - started,
        attributes: {
          entityRef,
          error: (error as Error).name ?? 'Error',
        },
      });
      throw error;
    }
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
