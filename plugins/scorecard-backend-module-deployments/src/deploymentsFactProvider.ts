import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DoraReport } from '@paved/plugin-deployments-common';
import { FactValue } from '@paved/plugin-scorecard-common';
import {
  FactBatch,
  FactProvider,
  FactRetrievalContext,
} from '@paved/plugin-scorecard-node';

/**
 * The period the facts cover. The DORA report counts whole weeks; four weeks is the
 * nearest to "the last 30 days" that it can answer.
 */
export const DELIVERY_WEEKS = 4;

/** Reports asked for at once: the DORA API has no bulk read, one call per component. */
const CONCURRENCY = 8;

export const CHANGE_FAILURE_RATE = 'deployments.changeFailureRate';
export const PRODUCTION_DEPLOYMENTS = 'deployments.productionDeployments';
export const DEPLOYMENTS_PER_WEEK = 'deployments.perWeek';

/** One component's delivery facts, from its report's overall figures. */
function factsOf(report: DoraReport): Record<string, FactValue> {
  const { overall } = report;
  return {
    [PRODUCTION_DEPLOYMENTS]: overall.deployments,
    [DEPLOYMENTS_PER_WEEK]: overall.deploymentsPerWeek,
    // Missing (null) without production deployments: no rate to judge, so a rule
    // on it fails rather than passing on nothing.
    [CHANGE_FAILURE_RATE]:
      typeof overall.changeFailureRate === 'number'
        ? overall.changeFailureRate
        : null,
  };
}

async function doraReport(
  ctx: FactRetrievalContext,
  component: string,
): Promise<{ status: number; report?: DoraReport }> {
  const [base, token] = await Promise.all([
    ctx.getBaseUrl('provisioning'),
    ctx.getPluginToken('provisioning'),
  ]);
  const query = new URLSearchParams({
    component,
    weeks: String(DELIVERY_WEEKS),
  });
  const response = await fetch(`${base}/deployments/dora?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) return { status: response.status };
  return { status: response.status, report: await response.json() };
}

/**
 * Delivery facts of components from the deployments API's DORA report (as the
 * scorecard plugin, with its service token): production deployments, deployments
 * per week and the change failure rate, over the last {@link DELIVERY_WEEKS} weeks.
 * A component the API cannot answer for (an error, the API not installed) gets no
 * facts, so its delivery checks fail as unknown rather than pass.
 */
export const deploymentsFactProvider: FactProvider = {
  id: 'deployments',
  facts: [
    {
      id: CHANGE_FAILURE_RATE,
      type: 'number',
      description: `Share (0–1) of its production deployments in the last ${DELIVERY_WEEKS} weeks followed by a rollback or an incident (missing without any)`,
    },
    {
      id: PRODUCTION_DEPLOYMENTS,
      type: 'number',
      description: `Its production deployments in the last ${DELIVERY_WEEKS} weeks`,
    },
    {
      id: DEPLOYMENTS_PER_WEEK,
      type: 'number',
      description: `Its successful production deployments per week over the last ${DELIVERY_WEEKS} weeks`,
    },
  ],
  entityFilter: (e: Entity) =>
    e.kind.toLocaleLowerCase('en-US') === 'component',
  async retrieve(entities, ctx) {
    const result: FactBatch = new Map();
    const refs = entities.map(e =>
      stringifyEntityRef(e).toLocaleLowerCase('en-US'),
    );
    let next = 0;
    let failures = 0;
    let lastFailure = '';
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, refs.length) }, async () => {
        while (next < refs.length) {
          const ref = refs[next++];
          try {
            const { status, report } = await doraReport(ctx, ref);
            if (report) result.set(ref, factsOf(report));
            else {
              failures++;
              lastFailure = `${ref}: HTTP ${status}`;
            }
          } catch (error) {
            failures++;
            lastFailure = `${ref}: ${error}`;
          }
        }
      }),
    );
    if (failures > 0) {
      // One line per evaluation, not one per component.
      ctx.logger.warn(
        `Scorecard: no delivery figures for ${failures} of ${refs.length} components (last: ${lastFailure})`,
      );
    }
    return result;
  },
};
