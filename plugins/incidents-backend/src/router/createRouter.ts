import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { Incident } from '@paved/plugin-incidents-common';
import express from 'express';
import Router from 'express-promise-router';
import { IncidentService } from '../service/IncidentService';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import {
  actorOf,
  audited,
  refuseNulCharacters,
} from '@paved/backend-plugin-utils';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

const ofIncident = (incident: Incident) => ({
  subject: incident.entityRef,
  team: incident.owner,
});

/** The incidents API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  incidents: IncidentService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  usage: UsageRecorder;
}): express.Router {
  const { incidents, httpAuth, auditor } = options;
  const router = Router();
  router.use(express.json());
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** Audit and usage options of a mutation by `caller`. */
  const mutation = async (
    req: express.Request,
    eventId: string,
    meta: Record<string, string | null>,
  ) => {
    const caller = await credentials(req);
    return {
      caller,
      options: {
        eventId,
        request: req,
        meta,
        usage: { recorder: options.usage, actor: actorOf(caller) },
      },
    };
  };

  router.post('/incidents', async (req, res) => {
    const { caller, options: audit } = await mutation(req, 'incident-open', {
      entityRef: text(req.body?.entityRef),
      severity: text(req.body?.severity),
    });
    const incident = await audited(
      auditor,
      audit,
      () => incidents.open(req.body, caller),
      result => ({ incidentId: result.id, owner: result.owner }),
      result => ({
        ...ofIncident(result),
        attributes: { severity: result.severity },
      }),
    );
    res.status(201).json(incident);
  });

  router.get('/incidents', async (req, res) => {
    await credentials(req);
    res.json(await incidents.list(req.query));
  });

  router.get('/incidents/:id', async (req, res) => {
    res.json(await incidents.get(req.params.id, await credentials(req)));
  });

  router.post('/incidents/:id/notes', async (req, res) => {
    const { caller, options: audit } = await mutation(req, 'incident-note', {
      incidentId: req.params.id,
    });
    const incident = await audited(
      auditor,
      audit,
      () => incidents.addNote(req.params.id, req.body, caller),
      () => ({}),
      ofIncident,
    );
    res.status(201).json(incident);
  });

  router.post('/incidents/:id/status', async (req, res) => {
    const { caller, options: audit } = await mutation(req, 'incident-status', {
      incidentId: req.params.id,
      status: text(req.body?.status),
    });
    const incident = await audited(
      auditor,
      audit,
      () => incidents.setStatus(req.params.id, req.body, caller),
      result => ({ status: result.status }),
      result => ({
        ...ofIncident(result),
        attributes: { status: result.status },
      }),
    );
    res.json(incident);
  });

  router.post('/incidents/:id/resolve', async (req, res) => {
    const { caller, options: audit } = await mutation(req, 'incident-resolve', {
      incidentId: req.params.id,
    });
    const { incident } = await audited(
      auditor,
      audit,
      () => incidents.resolve(req.params.id, req.body, caller),
      result => ({
        resolved: result.resolved,
        timeToRestoreMs: result.incident.timeToRestoreMs ?? null,
      }),
      ({ incident: result, resolved }) => ({
        ...ofIncident(result),
        attributes: {
          severity: result.severity,
          timeToRestoreMs: result.timeToRestoreMs ?? 0,
          resolved,
        },
      }),
    );
    res.json(incident);
  });

  router.get('/stats', async (req, res) => {
    await credentials(req);
    res.json(await incidents.stats(req.query));
  });

  return router;
}
