import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseInput } from '@paved/backend-plugin-utils';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PullRequestEnvironments } from './PullRequestEnvironments';

const requiredString = (what: string) =>
  z.string({
    error: issue =>
      issue.input === undefined ? 'is required' : `must be ${what}`,
  });

/** The body CI posts for each pull request event. */
const pullRequestEventSchema = z
  .strictObject({
    repository: requiredString('owner/name or a repository URL')
      .min(3, 'must be owner/name or a repository URL')
      .max(500, 'must be at most 500 characters'),
    number: z
      .number({
        error: issue =>
          issue.input === undefined ? 'is required' : 'must be a number',
      })
      .int('must be a whole number')
      .min(1, 'must be at least 1'),
    action: z.enum(['opened', 'synchronize', 'reopened', 'closed'], {
      error: 'must be one of opened, synchronize, reopened, closed',
    }),
    imageTag: requiredString('a string')
      .regex(
        /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
        'must be an image tag: letters, digits, _ . and -, at most 128 characters',
      )
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.action !== 'closed' && value.imageTag === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['imageTag'],
        message: `is required when action is ${value.action}`,
      });
    }
  });

/** `POST /environments/pull-requests`, under the provisioning plugin's base URL. */
export function createPullRequestRouter(options: {
  environments: PullRequestEnvironments;
  httpAuth: HttpAuthService;
}): express.Router {
  const { environments, httpAuth } = options;
  const router = Router();
  router.use('/environments', express.json());
  router.post('/environments/pull-requests', async (req, res) => {
    // CI calls with a static service token; people may call it too.
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const event = parseInput(pullRequestEventSchema, req.body, 'request');
    const outcome = await environments.handle(event, credentials);
    res.status(202).json(outcome);
  });
  return router;
}
