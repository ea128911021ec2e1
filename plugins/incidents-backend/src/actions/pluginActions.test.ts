/*
 * The plugin's actions as the MCP server reaches them: through the real Actions
 * Registry's HTTP API of the plugin, with the agent policy read from config. Under
 * the default policy an agent reads incidents but may not open one (403 naming
 * paved.agents.change); `paved.agents.change: allow` lets it.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { ownershipPermissions } from '../__testUtils__/ownershipPermissions';
import {
  recordingEvents,
  recordingNotifications,
  standInRunbooks,
} from '../__testUtils__/standIns';
import { incidentsPlugin } from '../plugin';

const BOB = 'user:default/bob';
const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-api', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
  },
];

async function start(config: object) {
  return startTestBackend({
    features: [
      incidentsPlugin,
      standInRunbooks().plugin,
      catalogServiceMock.factory({ entities: ENTITIES }),
      ownershipPermissions({
        memberships: { [BOB]: ['group:default/payments-team'] },
        entities: ENTITIES,
      }),
      recordingNotifications().factory,
      recordingEvents().factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
}

const invoke = (backend: TestBackend, name: string, input: object) =>
  request(backend.server)
    .post(
      `/api/incidents/.backstage/actions/v1/actions/incidents:${name}/invoke`,
    )
    .set('authorization', mockCredentials.user.header(BOB))
    .send(input);

const OPEN = {
  entityRef: 'component:default/orders-api',
  severity: 'sev2',
  summary: 'Checkout fails with 502',
};

describe('the incidents actions through the Actions Registry', () => {
  it('under the default policy: reads, and refuses to open with the rule', async () => {
    const backend = await start({});
    try {
      const list = await invoke(backend, 'list-incidents', {});
      expect(list.status).toBe(200);
      expect(list.body.output).toEqual({ items: [], totalCount: 0 });

      const open = await invoke(backend, 'open-incident', OPEN);
      expect(open.status).toBe(403);
      expect(open.body.error.message).toContain(
        "Refused by paved.agents.change ('deny')",
      );
      expect(
        (await invoke(backend, 'list-incidents', {})).body.output.totalCount,
      ).toBe(0);
    } finally {
      await backend.stop();
    }
  });

  it('with paved.agents.change: allow, opens one as the user', async () => {
    const backend = await start({ paved: { agents: { change: 'allow' } } });
    try {
      const open = await invoke(backend, 'open-incident', OPEN);
      expect(open.status).toBe(200);
      expect(open.body.output.incident).toMatchObject({
        ...OPEN,
        status: 'investigating',
        openedBy: BOB,
      });
      const read = await invoke(backend, 'get-incident', {
        incidentId: open.body.output.incident.id,
      });
      expect(read.body.output.incident.timeline).toEqual([
        expect.objectContaining({ type: 'opened', actor: BOB }),
      ]);
    } finally {
      await backend.stop();
    }
  });
});
