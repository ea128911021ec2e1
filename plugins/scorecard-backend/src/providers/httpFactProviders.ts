import { Entity } from '@backstage/catalog-model';
import { FactValue } from '@paved/plugin-scorecard-common';
import {
  FactProvider,
  FactRetrievalContext,
} from '@paved/plugin-scorecard-node';
import { refOf } from './refs';

async function getJson(
  ctx: FactRetrievalContext,
  pluginId: string,
  path: string,
): Promise<{ status: number; body?: any }> {
  const [base, token] = await Promise.all([
    ctx.getBaseUrl(pluginId),
    ctx.getPluginToken(pluginId),
  ]);
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) return { status: res.status };
  return { status: res.status, body: await res.json() };
}

async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * Whether an entity's TechDocs were built: the techdocs backend has metadata for it.
 * The techdocs API has no bulk read, so this asks for the entities that reference
 * docs only, a few at a time.
 */
export const techdocsFactProvider: FactProvider = {
  id: 'techdocs',
  facts: [
    {
      id: 'techdocs.built',
      type: 'boolean',
      description: 'The techdocs backend has built documentation for it',
    },
  ],
  async retrieve(entities, ctx) {
    const result = new Map<string, Record<string, FactValue>>();
    const withDocs: Entity[] = [];
    for (const e of entities) {
      if (e.metadata.annotations?.['backstage.io/techdocs-ref'])
        withDocs.push(e);
      else result.set(refOf(e), { 'techdocs.built': false });
    }
    await eachLimited(withDocs, 8, async e => {
      const { namespace = 'default', name } = e.metadata;
      const { status } = await getJson(
        ctx,
        'techdocs',
        `/metadata/techdocs/${encodeURIComponent(
          namespace,
        )}/${encodeURIComponent(e.kind)}/${encodeURIComponent(name)}`,
      );
      if (status >= 500) {
        ctx.logger.warn(`techdocs metadata of ${refOf(e)}: HTTP ${status}`);
        return; // unknown: leave the fact missing
      }
      result.set(refOf(e), { 'techdocs.built': status === 200 });
    });
    return result;
  },
};

const DAY = 24 * 3600 * 1000;

/**
 * Incidents of the last 90 days and their mean time to restore, from the incidents
 * backend's `GET /stats` (all services in one call).
 */
export const incidentsFactProvider: FactProvider = {
  id: 'incidents',
  facts: [
    {
      id: 'incidents.count90d',
      type: 'number',
      description: 'Incidents opened in the last 90 days',
    },
    {
      id: 'incidents.open',
      type: 'number',
      description: 'Incidents open now (of those opened in 90 days)',
    },
    {
      id: 'incidents.meanTimeToRestoreHours',
      type: 'number',
      description:
        'Mean time to restore of resolved incidents, in hours (missing without any)',
    },
  ],
  async retrieve(entities, ctx) {
    const since = new Date(Date.now() - 90 * DAY).toISOString();
    const query = new URLSearchParams({ since });
    if (entities.length === 1) query.set('entityRef', refOf(entities[0]));
    const { status, body } = await getJson(ctx, 'incidents', `/stats?${query}`);
    if (!body) {
      throw new Error(`incidents stats: HTTP ${status}`);
    }
    const rows = new Map<string, any>(
      (body.services ?? []).map((row: any) => [
        String(row.ref).toLocaleLowerCase('en-US'),
        row,
      ]),
    );
    const result = new Map<string, Record<string, FactValue>>();
    for (const e of entities) {
      const row = rows.get(refOf(e));
      result.set(refOf(e), {
        'incidents.count90d': row?.count ?? 0,
        'incidents.open': row?.openCount ?? 0,
        'incidents.meanTimeToRestoreHours':
          typeof row?.meanTimeToRestoreMs === 'number'
            ? Math.round((row.meanTimeToRestoreMs / 3600000) * 100) / 100
            : null,
      });
    }
    return result;
  },
};
