import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { eventsServiceRef, EventParams } from '@backstage/plugin-events-node';
import { RunbookRun } from '@paved/plugin-runbooks-common';
import Router from 'express-promise-router';

/** Stands in for the notifications plugin: records what would be sent. */
export function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    factory: createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        send: async (options: NotificationSendOptions) => {
          sent.push(options);
        },
      }),
    }),
  };
}

/** Stands in for the events service: records what is published. */
export function recordingEvents() {
  const published: EventParams[] = [];
  return {
    published,
    factory: createServiceFactory({
      service: eventsServiceRef,
      deps: {},
      factory: () => ({
        publish: async (params: EventParams) => {
          published.push(params);
        },
        subscribe: async () => {},
      }),
    }),
  };
}

/**
 * Stands in for the runbooks backend: `GET /runs?entityRef=` serves `runs` on that
 * entity, or 503 while `down`. It records who asked.
 */
export function standInRunbooks() {
  const state = {
    runs: [] as RunbookRun[],
    down: false,
    callers: [] as string[],
  };
  const plugin = createBackendPlugin({
    pluginId: 'runbooks',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/runs', async (req, res) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
            });
            state.callers.push(credentials.principal.userEntityRef);
            if (state.down) {
              res.status(503).json({ error: { message: 'down' } });
              return;
            }
            res.json({
              items: state.runs.filter(
                run => run.entityRef === req.query.entityRef,
              ),
            });
          });
          httpRouter.use(router);
        },
      });
    },
  });
  return { state, plugin };
}
