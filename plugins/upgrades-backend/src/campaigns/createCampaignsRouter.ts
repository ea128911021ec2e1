import { HttpAuthService } from '@backstage/backend-plugin-api';
import { refuseNulCharacters } from '@paved/backend-plugin-utils';
import express from 'express';
import Router from 'express-promise-router';
import { CampaignService } from './CampaignService';

/**
 * The campaigns' routes of the upgrades API: list, create (201), details (404 for
 * an unknown id) and run. The bodies are parsed with zod by the service (400s name
 * the field). Creating and running are authorized and audited by the
 * {@link CampaignService}; reading needs a user or a service.
 */
export function createCampaignsRouter(options: {
  campaigns: CampaignService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { campaigns, httpAuth } = options;
  const router = Router();
  router.use(express.json());
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/campaigns', async (req, res) => {
    await credentials(req);
    res.json(await campaigns.list());
  });

  router.post('/campaigns', async (req, res) => {
    const caller = await credentials(req);
    res.status(201).json(await campaigns.create(req.body, caller));
  });

  router.get('/campaigns/:id', async (req, res) => {
    await credentials(req);
    res.json(await campaigns.get(req.params.id));
  });

  router.post('/campaigns/:id/run', async (req, res) => {
    const caller = await credentials(req);
    res.json(await campaigns.run(req.params.id, caller));
  });

  return router;
}
