import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { FactValue } from '@paved/plugin-scorecard-common';
import {
  FactBatch,
  FactProvider,
  FactRetrievalContext,
} from '@paved/plugin-scorecard-node';
import { ChangeRequest, ChangeState } from '@paved/plugin-upgrades-common';

export const OPEN_CHANGE = 'upgrades.openChange';

/**
 * The states in which a change waits for its team: open (ready to merge) or
 * conflicted (to resolve first). `proposing` is left out: its branch is still being
 * written and there is nothing to look at yet.
 */
const WAITING: ChangeState[] = ['open', 'conflicted'];

/** The portal's page of a change request (the upgrades frontend's route). */
export const changePath = (id: string) =>
  `/upgrades/changes/${encodeURIComponent(id)}`;

/**
 * Every waiting change, one call per state (the API filters by one state a call).
 * Undefined when the upgrades API does not answer: not installed, or down.
 */
async function waitingChanges(
  ctx: FactRetrievalContext,
): Promise<{ items?: ChangeRequest[]; problem?: string }> {
  let base: string;
  let token: string;
  try {
    [base, token] = await Promise.all([
      ctx.getBaseUrl('upgrades'),
      ctx.getPluginToken('upgrades'),
    ]);
  } catch (error) {
    return { problem: String(error) };
  }
  const items: ChangeRequest[] = [];
  for (const state of WAITING) {
    let response: Response;
    try {
      response = await fetch(`${base}/changes?state=${state}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      return { problem: String(error) };
    }
    if (!response.ok) return { problem: `HTTP ${response.status}` };
    const body = (await response.json()) as { items?: ChangeRequest[] };
    items.push(...(body.items ?? []));
  }
  return { items };
}

/**
 * Whether a component has a template upgrade waiting for its team, as the path of
 * that change in the portal; the default track's "latest golden path version" check
 * links to it (fixUrlFact) instead of the docs. Read from the upgrades API as the
 * scorecard plugin, with its service token: two calls per evaluation, not one per
 * component.
 *
 * The facts are off (none, logged once until the API answers again) while the
 * upgrades plugin does not answer, so the check keeps its general link.
 */
export function createUpgradesFactProvider(): FactProvider {
  let warned = false;
  return {
    id: 'upgrades',
    facts: [
      {
        id: OPEN_CHANGE,
        type: 'string',
        description:
          "The portal path of the component's open template upgrade change (/upgrades/changes/<id>), or null when it has none",
      },
    ],
    entityFilter: (e: Entity) =>
      e.kind.toLocaleLowerCase('en-US') === 'component',
    async retrieve(entities, ctx) {
      const result: FactBatch = new Map();
      const { items, problem } = await waitingChanges(ctx);
      if (!items) {
        if (!warned) {
          warned = true;
          ctx.logger.info(
            `Scorecard upgrade facts are off: the upgrades API does not answer (${problem}); the latest-version check links to the docs`,
          );
        }
        return result;
      }
      warned = false;
      const byEntity = new Map<string, ChangeRequest>();
      for (const change of items) {
        const ref = change.entityRef.toLocaleLowerCase('en-US');
        const seen = byEntity.get(ref);
        // One active change per (entity, version); of several, the newest target wins.
        if (!seen || newer(change, seen)) byEntity.set(ref, change);
      }
      for (const entity of entities) {
        const ref = refOf(entity);
        const change = byEntity.get(ref);
        const value: FactValue = change ? changePath(change.id) : null;
        result.set(ref, { [OPEN_CHANGE]: value });
      }
      return result;
    },
  };
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function newer(a: ChangeRequest, b: ChangeRequest): boolean {
  return a.createdAt > b.createdAt;
}
