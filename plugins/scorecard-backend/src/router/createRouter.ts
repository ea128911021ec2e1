import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scorecardChecksManagePermission } from '@paved/plugin-scorecard-common';
import { parseInput, refuseNulCharacters } from '@paved/backend-plugin-utils';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ScorecardService } from '../service/ScorecardService';
import { previewRequestSchema } from '../service/previewRequest';
import {
  evaluateBodySchema,
  historyQuerySchema,
  trackQuerySchema,
  trendQuerySchema,
} from './inputs';

const entityRefParam = (
  value: string,
  field: string = 'entityRef',
  defaultKind?: string,
) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`${field}: '${value}' is not an entity ref`);
  }
};

/** The scorecard's REST API, as src/schema/openapi.yaml documents it. */
export function createRouter(options: {
  service: ScorecardService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}): express.Router {
  const { service, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  const signedIn = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const requireManage = async (req: Request) => {
    const credentials = await signedIn(req);
    const [decision] = await permissions.authorize(
      [{ permission: scorecardChecksManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${scorecardChecksManagePermission.name}`,
      );
    }
  };

  router.get('/tracks', async (req, res) => {
    await signedIn(req);
    res.json({ items: service.listTracks() });
  });

  router.get('/entities/:entityRef/scorecard', async (req, res) => {
    await signedIn(req);
    res.json(
      await service.entityScorecard(entityRefParam(req.params.entityRef)),
    );
  });

  router.get('/entities/:entityRef/history', async (req, res) => {
    await signedIn(req);
    const { limit } = parseInput(historyQuerySchema, req.query, 'query');
    res.json(
      await service.entityHistory(entityRefParam(req.params.entityRef), limit),
    );
  });

  router.get('/teams/:groupRef/scorecard', async (req, res) => {
    await signedIn(req);
    const { trackId } = parseInput(trackQuerySchema, req.query, 'query');
    res.json(
      await service.teamScorecard(
        entityRefParam(req.params.groupRef, 'groupRef', 'group'),
        trackId,
      ),
    );
  });

  router.get('/organization/levels', async (req, res) => {
    await signedIn(req);
    const { trackId } = parseInput(trackQuerySchema, req.query, 'query');
    res.json(await service.organizationLevels(trackId));
  });

  router.get('/organization/trend', async (req, res) => {
    await signedIn(req);
    const { trackId, days } = parseInput(trendQuerySchema, req.query, 'query');
    res.json(await service.organizationTrend(trackId, days));
  });

  router.get('/organization/maturity', async (req, res) => {
    await signedIn(req);
    res.json(await service.organizationMaturity());
  });

  router.post('/evaluate', async (req, res) => {
    const { entityRef } = parseInput(evaluateBodySchema, req.body, 'body');
    if (entityRef) await signedIn(req);
    else await requireManage(req);
    const event = await auditor.createEvent({
      eventId: 'scorecard-evaluate',
      request: req,
      meta: { entityRef: entityRef ?? 'all' },
    });
    try {
      const summary = entityRef
        ? await service.evaluator.evaluateRefs([entityRefParam(entityRef)])
        : await service.evaluator.evaluateAll();
      await event.success({ meta: { ...summary } });
      res.json(summary);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/checks/preview', async (req, res) => {
    await requireManage(req);
    res.json(
      await service.preview(
        parseInput(previewRequestSchema, req.body, 'preview'),
      ),
    );
  });

  return router;
}
