import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { z } from 'zod/v3';
import { AgentActions } from '@paved/agent-guardrails';
import { ScorecardService } from '../service/ScorecardService';
import { componentScorecard } from './componentScorecard';
import { describeTeam } from './describeTeam';
import {
  MAX_ENTITIES,
  MAX_FAILING_CHECKS,
  teamScorecard,
} from './teamScorecard';

/** The zod (v3) the Actions Registry hands to schema builders. */
type Zod = typeof z;

const trackIdInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .optional()
    .describe(
      "A scorecard track's id; the first track (platform-maturity by default) when left out",
    );

const levelFields = (z: Zod) => ({
  level: z
    .number()
    .describe(
      'Maturity level reached, 0-5 on the default track: 0 None, 1 Ad hoc, 2 Standardized, 3 Self-service, 4 Optimized, 5 Product',
    ),
  levelName: z.string().describe("The level's name, e.g. 'Self-service'"),
});

const fixFields = (z: Zod) => ({
  howToFix: z
    .string()
    .optional()
    .describe(
      'What to change to make the check pass (the text the portal shows)',
    ),
  fixUrl: z
    .string()
    .optional()
    .describe('Docs, template or the open change that fixes it'),
});

const levelCounts = (z: Zod) =>
  z
    .array(
      z.object({
        level: z.number().describe('Level number'),
        name: z.string().describe("Level's name"),
        count: z.number().describe('Entities at that level'),
      }),
    )
    .describe('How many entities are at each level');

/**
 * The scorecard's actions for agents: all reads, answered by the same service the
 * REST routes use, with the caller's credentials deciding (through the catalog)
 * which entities and teams may be seen.
 */
export function registerScorecardActions(options: {
  actions: AgentActions;
  service: ScorecardService;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  /** app.baseUrl, to make the portal's relative links absolute. */
  appBaseUrl?: string;
}) {
  const { actions, ...deps } = options;

  actions.register({
    name: 'get-component-scorecard',
    title: "Get a component's scorecard",
    description:
      "A catalog entity's maturity level on a scorecard track, the checks it passes and fails, and for each failing check how to fix it (lowest level first: those block every level above). Use it to answer 'what level is X' or 'what should we do to reach the next level'; nextLevel.blockedBy lists the checks to fix first. Use get-team-scorecard or describe-team for a whole team.",
    kind: 'read',
    idempotent: true,
    personInstead: 'open the Scorecard tab of the component in the portal',
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The entity ref, kind:namespace/name, e.g. component:default/orders',
            ),
          trackId: trackIdInput(z),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity, normalised'),
          trackId: z.string().describe('The track scored'),
          trackTitle: z.string().describe("The track's title"),
          ...levelFields(z),
          evaluatedAt: z.string().describe('When the scores were computed'),
          nextLevel: z
            .object({
              level: z.number().describe('The next level'),
              name: z.string().describe('Its name'),
              blockedBy: z
                .array(z.string())
                .describe('Failing checks (ids) at or below it to fix'),
            })
            .optional()
            .describe('Absent at the top level'),
          failing: z
            .array(
              z.object({
                checkId: z.string().describe("The check's id"),
                title: z.string().describe('What it checks'),
                level: z.number().describe('The level the check belongs to'),
                reason: z.string().describe('Why it fails, with the facts'),
                ...fixFields(z),
              }),
            )
            .describe('Failing checks, lowest level first'),
          passing: z
            .array(
              z.object({
                checkId: z.string().describe("The check's id"),
                title: z.string().describe('What it checks'),
                level: z.number().describe('Its level'),
              }),
            )
            .describe('Passing (or not applicable) checks'),
          otherTracks: z
            .array(
              z.object({
                trackId: z.string().describe("Track's id"),
                title: z.string().describe("Track's title"),
                ...levelFields(z),
                failing: z.number().describe('Failing checks on it'),
              }),
            )
            .describe('The entity on the other tracks (ask with trackId)'),
        }),
    },
    examples: [
      {
        title: "A component's level",
        description: "The orders service's level and what to fix",
        input: { entityRef: 'component:default/orders' },
        output: {
          entityRef: 'component:default/orders',
          trackId: 'platform-maturity',
          trackTitle: 'Platform maturity',
          level: 3,
          levelName: 'Self-service',
          evaluatedAt: '2026-01-01T00:00:00.000Z',
          nextLevel: {
            level: 4,
            name: 'Optimized',
            blockedBy: ['latest-template-version'],
          },
          failing: [
            {
              checkId: 'latest-template-version',
              title: 'On the latest template version',
              level: 4,
              reason: 'lineage.onLatestVersion is false (expected equal true)',
              howToFix: "Merge the template upgrade's change request.",
            },
          ],
          passing: [{ checkId: 'has-owner', title: 'Has an owner', level: 1 }],
          otherTracks: [],
        },
      },
    ],
    action: async ({ input, credentials }) => ({
      output: await componentScorecard(deps, input, credentials),
    }),
  });

  actions.register({
    name: 'get-team-scorecard',
    title: "Get a team's scorecard",
    description: `A team's (Group's) scorecard as its Scorecard tab shows it: how many of the entities it owns are at each level, the checks failing most across them with how to fix each (at most ${MAX_FAILING_CHECKS}), and its entities lowest level first (at most ${MAX_ENTITIES}; entities you may not see are counted but not listed). Call get-component-scorecard for one entity's details, describe-team for everything about the team.`,
    kind: 'read',
    idempotent: true,
    personInstead: "open the Scorecard tab of the team's page in the portal",
    schema: {
      input: z =>
        z.object({
          group: z
            .string()
            .min(1)
            .describe(
              "The team's Group ref, e.g. group:default/payments-team (or just payments-team)",
            ),
          trackId: trackIdInput(z),
        }),
      output: z =>
        z.object({
          group: z.string().describe('The Group, normalised'),
          trackId: z.string().describe('The track'),
          trackTitle: z.string().describe("The track's title"),
          total: z.number().describe('Scored entities the team owns'),
          summary: z.string().describe('The distribution in one sentence'),
          lowestLevel: z
            .object({
              level: z.number().describe('Level'),
              name: z.string().describe("Level's name"),
            })
            .optional()
            .describe("The team's least mature entity's level"),
          levels: levelCounts(z),
          failingChecks: z
            .array(
              z.object({
                checkId: z.string().describe("The check's id"),
                title: z.string().describe('What it checks'),
                level: z.number().describe('The level it belongs to'),
                failing: z.number().describe('Entities failing it'),
                share: z
                  .number()
                  .describe('Share of the entities failing it, 0-1'),
                ...fixFields(z),
              }),
            )
            .describe('Checks failing most first'),
          failingChecksCapped: z
            .boolean()
            .describe('More failing checks than listed'),
          entities: z
            .array(
              z.object({
                entityRef: z.string().describe('The entity'),
                ...levelFields(z),
              }),
            )
            .describe('The entities, lowest level first'),
          entitiesCapped: z.boolean().describe('More entities than listed'),
          hiddenEntities: z
            .number()
            .optional()
            .describe('Scored entities you may not see (counted, not listed)'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await teamScorecard(deps, input, credentials),
    }),
  });

  actions.register({
    name: 'describe-team',
    title: 'Describe a team: what it owns and what state it is in',
    description: `Everything about a team (Group) in one call: the catalog entities it owns by kind (at most ${MAX_ENTITIES} listed, each scored one with its maturity level and failing-check count), its scorecard summary with the checks failing most and how to fix them, its provisioned resources (provisioning requests, live ones) and its open incidents. If provisioning or incidents do not answer, the rest is returned and 'warnings' says what is missing. Only what you may see is included. Follow up with get-component-scorecard, provisioning.get-request or incidents.get-incident.`,
    kind: 'read',
    idempotent: true,
    personInstead:
      "open the team's page in the portal (its Ownership, Scorecard, Resources and Incidents)",
    schema: {
      input: z =>
        z.object({
          group: z
            .string()
            .min(1)
            .describe(
              "The team's Group ref, e.g. group:default/payments-team (or just payments-team)",
            ),
        }),
      output: z =>
        z.object({
          group: z
            .object({
              ref: z.string().describe('The Group'),
              title: z.string().optional().describe('Its display name'),
              type: z.string().optional().describe('e.g. team'),
              parent: z.string().optional().describe('Parent group'),
              members: z.number().describe('Direct members'),
              subgroups: z.number().describe('Direct child groups'),
            })
            .describe('The team'),
          owned: z
            .object({
              total: z.number().describe('Entities it owns that you may see'),
              byKind: z
                .array(
                  z.object({
                    kind: z.string().describe('Entity kind'),
                    count: z.number().describe('How many'),
                  }),
                )
                .describe('Counts by kind (all of them, even when capped)'),
              entities: z
                .array(
                  z.object({
                    entityRef: z.string().describe('The entity'),
                    kind: z.string().describe('Its kind'),
                    type: z.string().optional().describe('spec.type'),
                    title: z.string().optional().describe('Display name'),
                    level: z
                      .number()
                      .optional()
                      .describe('Maturity level, when scored (0-5)'),
                    levelName: z.string().optional().describe("Level's name"),
                    failingChecks: z
                      .number()
                      .optional()
                      .describe('How many checks fail, when scored'),
                  }),
                )
                .describe('By kind, then name'),
              capped: z.boolean().describe('More entities than listed'),
            })
            .describe('What the team owns in the catalog'),
          scorecard: z
            .object({
              trackId: z.string().describe('The track'),
              scored: z.number().describe('Scored entities'),
              summary: z.string().describe('Levels in one sentence'),
              levels: levelCounts(z),
              topFailingChecks: z
                .array(
                  z.object({
                    checkId: z.string().describe("The check's id"),
                    title: z.string().describe('What it checks'),
                    failing: z.number().describe('Entities failing it'),
                    ...fixFields(z),
                  }),
                )
                .describe('The checks failing most'),
            })
            .describe("The team's scorecard summary"),
          resources: z
            .object({
              total: z.number().describe('Live requests'),
              items: z
                .array(
                  z.object({
                    id: z
                      .string()
                      .describe('Request id (provisioning.get-request)'),
                    type: z.string().describe('Resource type'),
                    name: z.string().describe('Resource name'),
                    state: z
                      .string()
                      .describe('e.g. ready, provisioning, failed'),
                    expiresAt: z
                      .string()
                      .optional()
                      .describe('When it is destroyed unless used'),
                    lastError: z.string().optional().describe('Why it failed'),
                  }),
                )
                .describe('Newest first'),
              capped: z.boolean().describe('More than listed'),
            })
            .optional()
            .describe(
              'Provisioned resources; absent when provisioning did not answer',
            ),
          incidents: z
            .object({
              open: z.number().describe('Open incidents'),
              items: z
                .array(
                  z.object({
                    id: z
                      .string()
                      .describe('Incident id (incidents.get-incident)'),
                    entityRef: z.string().describe('Affected entity'),
                    severity: z.string().describe('Severity'),
                    status: z
                      .string()
                      .describe('investigating, identified or monitoring'),
                    summary: z.string().describe('What happened'),
                    openedAt: z.string().describe('When it was opened'),
                  }),
                )
                .describe('Newest first'),
              capped: z.boolean().describe('More than listed'),
            })
            .optional()
            .describe('Open incidents; absent when incidents did not answer'),
          warnings: z
            .array(z.string())
            .describe('What is missing or cut from this answer, and why'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await describeTeam(deps, input, credentials),
    }),
  });
}
