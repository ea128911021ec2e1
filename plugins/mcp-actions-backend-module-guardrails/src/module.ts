import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { EventsUsageRecorder } from '@paved/plugin-adoption-node';
import { AGENTS_USAGE_PLUGIN, createAgentGate } from './createAgentGate';

/**
 * The MCP server's gate (see createAgentGate). Modules initialise before their
 * plugin, so the gate's middleware is on the `mcp-actions` router before the
 * server's own routes and sees every call first.
 *
 * @public
 */
export const mcpActionsModuleGuardrails = createBackendModule({
  pluginId: 'mcp-actions',
  moduleId: 'guardrails',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      async init({ httpRouter, httpAuth, auditor, logger, events }) {
        httpRouter.use(
          createAgentGate({
            httpAuth,
            auditor,
            logger,
            usage: new EventsUsageRecorder(AGENTS_USAGE_PLUGIN, events, logger),
          }),
        );
      },
    });
  },
});
