import { HttpAuthService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { parseInput } from '@paved/backend-plugin-utils';
import { isImageReference } from '@paved/plugin-deployments-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentService } from '../service/DeploymentService';

const requiredString = (what: string) =>
  z.string({
    error: issue =>
      issue.input === undefined ? 'is required' : `must be ${what}`,
  });

const entityRef = (what: string) =>
  requiredString(what)
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters');

/** An environment's name is its namespace's. */
const environmentName = requiredString('an environment name')
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "must be an environment's name: lower case letters, digits and '-'",
  );

const deployBodySchema = z.strictObject({
  component: entityRef("a component's entity ref"),
  environment: environmentName,
  image: requiredString('an image reference')
    .min(1, 'must not be empty')
    .max(512, 'must be at most 512 characters')
    .refine(
      image => image === '.' || isImageReference(image),
      'must be an image reference, e.g. ghcr.io/acme/orders:1.4.0',
    ),
  gitRef: requiredString('a string')
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .optional(),
  commitTime: requiredString('a date-time')
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .optional(),
  workload: z
    .record(z.string(), z.unknown(), {
      error: 'must be a Score workload (an object)',
    })
    .optional(),
});

const promoteBodySchema = z.strictObject({
  component: entityRef("a component's entity ref"),
  from: environmentName,
  to: environmentName,
});

const rollbackBodySchema = z.strictObject({
  component: entityRef("a component's entity ref"),
  environment: environmentName,
  to: requiredString('a deployment id')
    .min(1, 'must not be empty')
    .max(36, 'must be at most 36 characters')
    .optional(),
});

const queryString = requiredString('a string')
  .min(1, 'must not be empty')
  .max(255);

const listQuerySchema = z.object({
  component: queryString.optional(),
  environment: queryString.optional(),
  owner: queryString.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(100),
});

const environmentsQuerySchema = z.object({
  component: entityRef("a component's entity ref"),
});

const doraQuerySchema = z.object({
  component: queryString.optional(),
  owner: queryString.optional(),
  weeks: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(52, 'must be at most 52')
    .default(12),
});

/**
 * The deployments API under the provisioning plugin's base URL
 * (src/schema/openapi.yaml): deploy, promote and roll back a component's workload,
 * its records, what runs where and its delivery (DORA) figures. People and CI (a
 * static service token) may call it; the provisioning API decides, as the caller,
 * who may deploy where.
 */
export function createDeploymentsRouter(options: {
  deployments: DeploymentService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { deployments, httpAuth } = options;
  const router = Router();
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  // Score workloads are small documents; the engine's own limit applies beyond this.
  router.use('/deployments', express.json({ limit: '1mb' }));

  router.post('/deployments', async (req, res) => {
    const caller = await credentials(req);
    const body = parseInput(deployBodySchema, req.body, 'request');
    const { workload, ...rest } = body;
    res
      .status(202)
      .json(
        await deployments.deploy(
          { ...rest, workload: workload as JsonObject | undefined },
          caller,
        ),
      );
  });

  router.post('/deployments/promote', async (req, res) => {
    const caller = await credentials(req);
    const body = parseInput(promoteBodySchema, req.body, 'request');
    res.status(202).json(await deployments.promote(body, caller));
  });

  router.post('/deployments/rollback', async (req, res) => {
    const caller = await credentials(req);
    const body = parseInput(rollbackBodySchema, req.body, 'request');
    res.status(202).json(await deployments.rollback(body, caller));
  });

  router.get('/deployments', async (req, res) => {
    await credentials(req);
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(await deployments.list(query));
  });

  router.get('/deployments/environments', async (req, res) => {
    const caller = await credentials(req);
    const query = parseInput(environmentsQuerySchema, req.query, 'query');
    res.json(await deployments.environments(query.component, caller));
  });

  router.get('/deployments/dora', async (req, res) => {
    await credentials(req);
    const query = parseInput(doraQuerySchema, req.query, 'query');
    res.json(await deployments.dora(query));
  });

  return router;
}
