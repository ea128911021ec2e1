import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { adoptionDashboardViewPermission } from '@paved/plugin-adoption-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  audited,
  ExpiringCache,
  refuseNulCharacters,
} from '@paved/backend-plugin-utils';
import { DashboardQuery, DashboardService } from '../service/DashboardService';
import { IngestionService } from '../service/IngestionService';
import { SurveyService } from '../service/SurveyService';
import { parseRange } from './parseRange';

/**
 * How long a caller's permission decision on the dashboard is reused. The policy
 * decides from the caller's groups, which their token carries for its lifetime (an
 * hour), so half a minute more changes nothing that matters.
 */
export const DECISION_TTL_MS = 30_000;

/** The adoption API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  ingestion: IngestionService;
  dashboard: DashboardService;
  survey: SurveyService;
  refreshRollups: () => Promise<{ days: number }>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}): express.Router {
  const { ingestion, dashboard, survey, httpAuth, permissions, auditor } =
    options;
  const router = Router();
  // A batch of 1000 events with attributes stays well under this.
  router.use(express.json({ limit: '4mb' }));
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  const user = async (req: express.Request) =>
    (await httpAuth.credentials(req, { allow: ['user'] })).principal
      .userEntityRef;

  /** Runs a mutation as a low-severity audit event. */
  const lowAudited = <T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, string | number>,
    fn: () => Promise<T>,
  ) =>
    audited(auditor, { eventId, request: req, meta, severityLevel: 'low' }, fn);

  router.post('/events', async (req, res) => {
    const userRef = await user(req);
    const count = Array.isArray(req.body?.events) ? req.body.events.length : 0;
    // One audit event per batch, not per event: ingestion is high volume.
    const result = await lowAudited(
      req,
      'events-ingest',
      { events: count },
      () => ingestion.ingestBatch(req.body, userRef),
    );
    res.status(200).json(result);
  });

  router.get('/survey/status', async (req, res) => {
    res.json(await survey.status(await user(req)));
  });

  router.post('/survey/responses', async (req, res) => {
    const userRef = await user(req);
    const result = await lowAudited(req, 'survey-respond', {}, () =>
      survey.respond(userRef, req.body),
    );
    res.status(201).json(result);
  });

  router.post('/survey/dismissals', async (req, res) => {
    const userRef = await user(req);
    const result = await lowAudited(req, 'survey-dismiss', {}, () =>
      survey.dismiss(userRef),
    );
    res.status(201).json(result);
  });

  /**
   * Each caller's decision, reused for {@link DECISION_TTL_MS}: the permission call
   * (a plugin token, an HTTP call to the permission backend, the policy) cost more
   * than most dashboard sections themselves, and the dashboard page makes six calls.
   */
  const decisions = new ExpiringCache<string, boolean>({
    ttlMs: DECISION_TTL_MS,
  });

  /** The dashboard is for those the policy grants `adoption.dashboard.view`. */
  async function authorizeDashboard(req: express.Request) {
    // Every request still proves who it is; only the policy's answer is reused.
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { principal } = credentials;
    const caller =
      principal.type === 'user'
        ? `user ${principal.userEntityRef}`
        : `service ${principal.subject}`;
    const allowed = await decisions.get(caller, async () => {
      const [decision] = await permissions.authorize(
        [{ permission: adoptionDashboardViewPermission }],
        { credentials },
      );
      return decision.result === AuthorizeResult.ALLOW;
    });
    if (!allowed) {
      throw new NotAllowedError('Not allowed to view the adoption dashboard');
    }
  }

  const dashboardRoute = (
    path: string,
    read: (query: DashboardQuery) => Promise<unknown>,
  ) =>
    router.get(path, async (req, res) => {
      await authorizeDashboard(req);
      res.json(await read(parseRange(req.query)));
    });

  dashboardRoute('/dashboard/active-users', q => dashboard.activeUsers(q));
  dashboardRoute('/dashboard/usage', q => dashboard.usage(q));
  dashboardRoute('/dashboard/searches', q => dashboard.searches(q));
  dashboardRoute('/dashboard/golden-paths', q => dashboard.goldenPaths(q));
  dashboardRoute('/dashboard/docs', q => dashboard.docs(q));
  dashboardRoute('/dashboard/nps', q => dashboard.nps(q));

  router.post('/dashboard/refresh', async (req, res) => {
    await authorizeDashboard(req);
    res.json(await options.refreshRollups());
  });

  return router;
}
