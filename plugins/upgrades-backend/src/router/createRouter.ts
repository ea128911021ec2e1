import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseInput, refuseNulCharacters } from '@paved/backend-plugin-utils';
import { ChangeState } from '@paved/plugin-upgrades-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { CampaignService } from '../campaigns/CampaignService';
import { createCampaignsRouter } from '../campaigns/createCampaignsRouter';
import { UpgradeService } from '../service/UpgradeService';

const STATES: ChangeState[] = [
  'proposing',
  'open',
  'conflicted',
  'merged',
  'closed',
];

const proposeBody = z
  .object({
    entityRef: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(255),
    toVersion: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

const listQuery = z
  .object({
    entityRef: z.string().trim().min(1).max(255).optional(),
    campaignId: z.string().trim().min(1).max(36).optional(),
    // comma-separated, e.g. open,conflicted
    state: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        const states = value.split(',').map(s => s.trim());
        const unknown = states.filter(s => !STATES.includes(s as ChangeState));
        if (unknown.length) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown state ${unknown.join(', ')} (one of ${STATES.join(
              ', ',
            )})`,
          });
          return z.NEVER;
        }
        return states as ChangeState[];
      }),
  })
  .strict();

/** The upgrades API; `src/schema/openapi.yaml` describes it. */
export function createRouter(options: {
  upgrades: UpgradeService;
  campaigns: CampaignService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { upgrades, httpAuth } = options;
  const router = Router();
  router.use(express.json());
  // Postgres cannot hold a NUL character: a 400 naming the field, not a 500.
  router.use(refuseNulCharacters());

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/entities/:kind/:namespace/:name/upgrade', async (req, res) => {
    const { kind, namespace, name } = req.params;
    res.json(
      await upgrades.status(
        `${kind}:${namespace}/${name}`,
        await credentials(req),
      ),
    );
  });

  router.get('/templates/:namespace/:name/versions', async (req, res) => {
    await credentials(req);
    res.json(
      await upgrades.templateVersions(
        `template:${req.params.namespace}/${req.params.name}`,
      ),
    );
  });

  // Proposals, merges, closes and refreshes are authorized and audited by the
  // service, so that campaigns' proposals are too.
  router.post('/changes', async (req, res) => {
    const caller = await credentials(req);
    const body = parseInput(proposeBody, req.body, 'request');
    const { change, created } = await upgrades.propose({
      ...body,
      credentials: caller,
    });
    res.status(created ? 201 : 200).json(change);
  });

  router.get('/changes', async (req, res) => {
    await credentials(req);
    const query = parseInput(listQuery, req.query, 'query');
    res.json({
      items: await upgrades.listChanges({
        entityRef: query.entityRef,
        campaignId: query.campaignId,
        states: query.state,
      }),
    });
  });

  router.get('/changes/:id', async (req, res) => {
    await credentials(req);
    res.json(await upgrades.get(req.params.id));
  });

  router.get('/changes/:id/diff', async (req, res) => {
    res.json(await upgrades.diff(req.params.id, await credentials(req)));
  });

  router.post('/changes/:id/merge', async (req, res) => {
    res.json(await upgrades.merge(req.params.id, await credentials(req)));
  });

  router.post('/changes/:id/close', async (req, res) => {
    res.json(await upgrades.close(req.params.id, await credentials(req)));
  });

  router.post('/changes/:id/refresh', async (req, res) => {
    res.json(await upgrades.refresh(req.params.id, await credentials(req)));
  });

  router.use(createCampaignsRouter({ campaigns: options.campaigns, httpAuth }));

  return router;
}
