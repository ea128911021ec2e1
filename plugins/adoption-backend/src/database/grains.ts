/**
 * The rollups' grains: the key columns each counts by, as SQL over
 * `adoption_events`, and which events it counts. Keys absent from a grain are ''.
 */
export interface Grain {
  name: 'plugin' | 'action' | 'route' | 'search' | 'docs';
  action: string;
  route: string;
  subject: string;
  entityRef: string;
  where: string;
}

export const GRAINS: Grain[] = [
  {
    name: 'plugin',
    action: `'*'`,
    route: `''`,
    subject: `''`,
    entityRef: `''`,
    where: '1 = 1',
  },
  {
    name: 'action',
    action: 'action',
    route: `''`,
    subject: `''`,
    entityRef: `''`,
    where: '1 = 1',
  },
  {
    name: 'route',
    action: 'action',
    route: 'route',
    subject: `''`,
    entityRef: `''`,
    where: `action = 'navigate' AND route IS NOT NULL`,
  },
  {
    name: 'search',
    action: 'action',
    route: `''`,
    subject: `LOWER(TRIM(subject))`,
    entityRef: `''`,
    where: `action = 'search' AND subject IS NOT NULL`,
  },
  {
    name: 'docs',
    action: 'action',
    route: `''`,
    subject: `''`,
    entityRef: 'entity_ref',
    where: `plugin_id = 'techdocs' AND action = 'navigate' AND entity_ref IS NOT NULL`,
  },
];

/** Counts per row: events, distinct users, searches that found nothing. */
export const MEASURES = `COUNT(*), COUNT(DISTINCT user_ref), SUM(CASE WHEN action = 'search' AND value = 0 THEN 1 ELSE 0 END)`;

/** The grain's key expressions, in column order. */
export function keysOf(g: Grain): string {
  return `plugin_id, ${g.action}, ${g.route}, ${g.subject}, ${g.entityRef}`;
}

/** The grain's GROUP BY list: its keys but the constants (Postgres refuses those). */
export function groupByOf(g: Grain): string {
  return [g.action, g.route, g.subject, g.entityRef]
    .filter(key => !key.startsWith("'"))
    .reduce((list, key) => `${list}, ${key}`, 'plugin_id');
}
