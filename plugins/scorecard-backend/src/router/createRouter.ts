import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scorecardChecksManagePermission } from '@paved/plugin-scorecard-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ScorecardService } from '../service/ScorecardService';

const entityRefParam = (value: string, defaultKind?: string) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`'${value}' is not an entity ref`);
  }
};

const trackParam = (req: Request) =>
  typeof req.query.trackId === 'string' ? req.query.trackId : undefined;

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
    const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
    res.json(
      await service.entityHistory(entityRefParam(req.params.entityRef), limit),
    );
  });

  router.get('/teams/:groupRef/scorecard', async (req, res) => {
    await signedIn(req);
    res.json(
      await service.teamScorecard(
        entityRefParam(req.params.groupRef, 'group'),
        trackParam(req),
      ),
    );
  });

  router.get('/organization/levels', async (req, res) => {
    await signedIn(req);
    res.json(await service.organizationLevels(trackParam(req)));
  });

  router.get('/organization/trend', async (req, res) => {
    await signedIn(req);
    const days = Math.min(Number(req.query.days ?? 90) || 90, 730);
    res.json(await service.organizationTrend(trackParam(req), days));
  });

  router.get('/organization/maturity', async (req, res) => {
    await signedIn(req);
    res.json(await service.organizationMaturity());
  });

  router.post('/evaluate', async (req, res) => {
    const entityRef = req.body?.entityRef;
    if (entityRef !== undefined && typeof entityRef !== 'string') {
      throw new InputError('entityRef must be a string');
    }
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
    res.json(await service.preview(req.body));
  });

  return router;
}
