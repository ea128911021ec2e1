import { mockServices } from '@backstage/backend-test-utils';
import { FactRetrievalContext } from '@paved/plugin-scorecard-node';
import express from 'express';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { component } from '../__testUtils__/entities';
import {
  incidentsFactProvider,
  techdocsFactProvider,
} from './httpFactProviders';

/**
 * The TechDocs and incidents providers against HTTP servers that answer as those
 * backends do (paths and shapes from their APIs), over real HTTP.
 */
describe('the HTTP fact providers', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.use((req, _res, next) => {
      seen.push(`${req.path} ${req.headers.authorization ? 'auth' : 'anon'}`);
      next();
    });
    app.get(
      '/techdocs/metadata/techdocs/default/Component/orders',
      (_req, res) => {
        res.json({ site_name: 'orders' });
      },
    );
    app.get('/techdocs/metadata/techdocs/:ns/:kind/:name', (_req, res) => {
      res
        .status(404)
        .json({ error: { name: 'NotFoundError', message: 'no docs' } });
    });
    app.get('/incidents/stats', (req, res) => {
      res.json({
        since: req.query.since,
        services: [
          {
            ref: 'component:default/orders',
            count: 3,
            openCount: 1,
            resolvedCount: 2,
            meanTimeToRestoreMs: 2 * 3600000,
          },
        ],
        teams: [],
      });
    });
    server = app.listen(0);
    await new Promise(r => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const ctx = (): FactRetrievalContext => ({
    logger: mockServices.logger.mock(),
    lookup: { getByRefs: async () => new Map(), getByKind: async () => [] },
    getBaseUrl: async id => `${base}/${id}`,
    getPluginToken: async () => 'token',
  });
  const withDocs = { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } };

  it('says which TechDocs were built, asking only for entities with docs', async () => {
    seen.length = 0;
    const facts = await techdocsFactProvider.retrieve(
      [
        component('orders', withDocs),
        component('search', withDocs),
        component('bare'),
      ],
      ctx(),
    );
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/orders': { 'techdocs.built': true },
      'component:default/search': { 'techdocs.built': false },
      'component:default/bare': { 'techdocs.built': false },
    });
    expect(seen.sort()).toEqual([
      '/techdocs/metadata/techdocs/default/Component/orders auth',
      '/techdocs/metadata/techdocs/default/Component/search auth',
    ]);
  });

  it('reads incident counts and time to restore for all entities in one call', async () => {
    seen.length = 0;
    const facts = await incidentsFactProvider.retrieve(
      [component('orders'), component('search')],
      ctx(),
    );
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/orders': {
        'incidents.count90d': 3,
        'incidents.open': 1,
        'incidents.meanTimeToRestoreHours': 2,
      },
      'component:default/search': {
        'incidents.count90d': 0,
        'incidents.open': 0,
        'incidents.meanTimeToRestoreHours': null,
      },
    });
    expect(seen).toEqual(['/incidents/stats auth']);
  });
});
