import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TechDocsBuildTimes } from './DocsBuildTimes';

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
});

describe('TechDocsBuildTimes', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url?: string; authorization?: string }> = [];

  beforeAll(async () => {
    // A real HTTP server answering like the TechDocs backend's metadata route.
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      if (req.url === '/metadata/techdocs/default/component/built') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ build_timestamp: 1_767_225_600 }));
        return;
      }
      res.statusCode = 404;
      res.end('{"error":{"name":"NotFoundError","message":"no docs"}}');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const reader = (getBaseUrl: () => Promise<string>) => {
    const logger = mockServices.logger.mock();
    return {
      logger,
      builds: new TechDocsBuildTimes({
        discovery: { getBaseUrl, getExternalBaseUrl: getBaseUrl },
        auth: mockServices.auth(),
        logger,
      }),
    };
  };

  it("reads each entity's build time, in order, as the plugin itself; unknown where TechDocs has none", async () => {
    const { builds } = reader(async () => baseUrl);
    const times = await builds.buildTimes([entity('missing'), entity('built')]);
    expect(times).toEqual([undefined, new Date('2026-01-01T00:00:00Z')]);
    expect(seen.map(s => s.url).sort()).toEqual([
      '/metadata/techdocs/default/component/built',
      '/metadata/techdocs/default/component/missing',
    ]);
    expect(seen.every(s => s.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('reuses the answers for the same entities instead of asking TechDocs per request', async () => {
    const { builds } = reader(async () => baseUrl);
    const asked = seen.length;
    const list = [entity('built'), entity('missing')];
    const [first, second] = await Promise.all([
      builds.buildTimes(list),
      builds.buildTimes(list),
    ]);
    expect(await builds.buildTimes(list)).toEqual(first);
    expect(second).toEqual([new Date('2026-01-01T00:00:00Z'), undefined]);
    // Two entities, asked once for three calls.
    expect(seen.length - asked).toBe(2);
    // Other entities are asked about.
    await builds.buildTimes([entity('other')]);
    expect(seen.length - asked).toBe(3);
  });

  it('answers unknown for every entity, with a warning, when TechDocs cannot be found', async () => {
    const { builds, logger } = reader(async () => {
      throw new Error('no techdocs plugin');
    });
    expect(await builds.buildTimes([entity('built')])).toEqual([undefined]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('TechDocs metadata unavailable'),
    );
  });

  it('asks nothing for no entities', async () => {
    const { builds } = reader(async () => {
      throw new Error('must not be asked');
    });
    expect(await builds.buildTimes([])).toEqual([]);
  });
});
