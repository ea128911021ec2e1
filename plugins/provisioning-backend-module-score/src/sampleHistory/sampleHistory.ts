import { JsonObject } from '@backstage/types';
import {
  DeploymentKind,
  EnvironmentStage,
} from '@paved/plugin-deployments-common';

/**
 * One deployment of the sample organisation's history, before it is recorded:
 * `key` stands for its record's id, which promotions and rollbacks refer to.
 */
export interface SampleDeployment {
  key: string;
  component: string;
  owner: string;
  environment: string;
  stage: EnvironmentStage;
  workload: string;
  kind: DeploymentKind;
  status: 'succeeded' | 'failed';
  image: string;
  gitRef: string;
  commitTime: string;
  promotedFromKey?: string;
  rollbackOfKey?: string;
  reason?: string;
  createdBy: string;
  startedAt: string;
  finishedAt: string;
  spec: JsonObject;
}

/** How a team delivers in week `week` (0 is the oldest of the history). */
interface Habits {
  /** Changes per component that reach production in the week. */
  changes: number;
  /** Hours from commit to production. */
  leadHours: number;
  /** Share of production changes that fail (rolled back, or the rollout fails). */
  failureRate: number;
  /** Hours until a failed change is rolled back or fixed. */
  restoreHours: number;
}

interface SampleTeam {
  owner: string;
  people: string[];
  components: string[];
  habits(week: number, weeks: number): Habits;
}

/**
 * The sample organisation (examples/org) and the story its charts tell: the
 * checkout team moves from weekly batches to small daily changes (so storefront-web
 * and cart-service, at level 4 in examples/org/README.md, pass the scorecard's
 * "change failure rate at most 15%" over its last 4 weeks), the payments team ships
 * steadily but had a bad week of rollbacks three weeks ago (on components below
 * level 4, where the check does not count), the catalog team is steady and the data
 * team's pipeline ships slowly. admin-console and returns-service are not deployed
 * through Paved yet, so they have no history.
 */
const TEAMS: SampleTeam[] = [
  {
    owner: 'group:default/checkout-team',
    people: ['carla', 'samuel', 'hana'],
    components: ['checkout-service', 'cart-service', 'storefront-web'],
    habits: (week, weeks) => {
      const progress = week / (weeks - 1);
      return {
        changes: Math.round(1 + progress * 6),
        leadHours: 96 * Math.pow(0.04, progress),
        failureRate: 0.4 - progress * 0.38,
        restoreHours: 20 - progress * 18,
      };
    },
  },
  {
    owner: 'group:default/payments-team',
    people: ['bob', 'mei', 'diego'],
    components: ['payments-api', 'ledger-service'],
    habits: (week, weeks) =>
      week === weeks - 4
        ? { changes: 5, leadHours: 20, failureRate: 0.8, restoreHours: 6 }
        : { changes: 3, leadHours: 26, failureRate: 0.03, restoreHours: 2 },
  },
  {
    owner: 'group:default/catalog-team',
    people: ['dmitri', 'fatima', 'lucas'],
    components: ['catalog-service', 'inventory-service'],
    habits: () => ({
      changes: 2,
      leadHours: 50,
      failureRate: 0.12,
      restoreHours: 5,
    }),
  },
  {
    owner: 'group:default/data-team',
    people: ['erin', 'kwame', 'sofia'],
    components: ['events-pipeline'],
    habits: () => ({
      changes: 1,
      leadHours: 150,
      failureRate: 0.25,
      restoreHours: 30,
    }),
  },
];

const STAGES: Array<{ suffix: string; stage: EnvironmentStage }> = [
  { suffix: 'dev', stage: 'development' },
  { suffix: 'staging', stage: 'staging' },
  { suffix: 'prod', stage: 'production' },
];

const ROLLOUT_FAILURES = [
  "ReplicaFailure: pods 'Forbidden: exceeded quota: compute, requested: limits.memory=512Mi'",
  "CrashLoopBackOff: container 'main' exited with code 1 (readiness probe failed)",
  'ProgressDeadlineExceeded: the rollout made no progress for 600 s',
];

const HOUR = 3600_000;
const WEEK = 7 * 24 * HOUR;

/** mulberry32: a small seeded generator, so the history is the same on every start. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  }
  return hash >>> 0;
}

function scoreWorkload(name: string): JsonObject {
  return {
    apiVersion: 'score.dev/v1b1',
    metadata: { name },
    containers: {
      main: { image: '.', variables: { PORT: '8080' } },
    },
    service: { ports: { web: { port: 80, targetPort: 8080 } } },
  };
}

/**
 * The sample organisation's deployments over the `weeks` before `now`, oldest
 * first: every change is committed, deployed to `<component>-dev`, promoted to
 * `-staging` and then `-prod`; some production changes fail and are rolled back.
 * The same `now` gives the same history.
 */
export function sampleHistory(options: {
  now: Date;
  weeks?: number;
}): SampleDeployment[] {
  const weeks = options.weeks ?? 12;
  const end = options.now.getTime();
  const start = end - weeks * WEEK;
  const history: SampleDeployment[] = [];

  for (const team of TEAMS) {
    for (const component of team.components) {
      const rand = random(seedOf(component));
      const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
      const jitter = (value: number, spread: number) =>
        value * (1 - spread + 2 * spread * rand());
      const spec = scoreWorkload(component);
      const ref = `component:default/${component}`;
      let version = 0;
      let lastGoodProd: SampleDeployment | undefined;
      // The failures owed so far: each production change adds its week's failure
      // rate and fails when a whole one is owed. Failures thus follow the team's
      // habits closely in any stretch of changes (at most one more than the rates
      // add up to), where a coin toss per change could give a component that the
      // story keeps at level 4 a bad month by chance. It starts at a random phase so
      // that the components do not fail in step.
      let owed = rand();
      const record = (
        deployment: Omit<
          SampleDeployment,
          'key' | 'component' | 'owner' | 'workload' | 'spec' | 'finishedAt'
        > & { minutes: number },
      ) => {
        const { minutes, ...rest } = deployment;
        const made: SampleDeployment = {
          ...rest,
          key: `${component}#${history.length}`,
          component: ref,
          owner: team.owner,
          workload: component,
          spec,
          finishedAt: new Date(
            Date.parse(rest.startedAt) + minutes * 60_000,
          ).toISOString(),
        };
        history.push(made);
        return made;
      };

      for (let week = 0; week < weeks; week++) {
        const habits = team.habits(week, weeks);
        const inProduction = Array.from({ length: habits.changes }, () =>
          Math.floor(start + week * WEEK + rand() * WEEK),
        ).sort((a, b) => a - b);
        for (const prodTime of inProduction) {
          const lead = jitter(habits.leadHours, 0.4) * HOUR;
          const commit = prodTime - lead;
          // A change still on its way to production is left out: history ends now.
          if (prodTime + 6 * HOUR > end || commit < start - WEEK) {
            continue;
          }
          version += 1;
          const image = `ghcr.io/acme/${component}:1.${version}.0`;
          const gitRef = Array.from({ length: 40 }, () =>
            Math.floor(rand() * 16).toString(16),
          ).join('');
          const author = pick(team.people);
          const environment = (suffix: string) => `${component}-${suffix}`;
          const common = {
            image,
            gitRef,
            commitTime: new Date(commit).toISOString(),
          };
          const dev = record({
            ...common,
            environment: environment('dev'),
            stage: 'development',
            kind: 'deploy',
            status: 'succeeded',
            // CI deploys each merge to development.
            createdBy: `user:default/${author}`,
            startedAt: new Date(
              commit + jitter(20, 0.5) * 60_000,
            ).toISOString(),
            minutes: jitter(2, 0.5),
          });
          const staging = record({
            ...common,
            environment: environment('staging'),
            stage: 'staging',
            kind: 'promotion',
            status: 'succeeded',
            promotedFromKey: dev.key,
            createdBy: `user:default/${author}`,
            startedAt: new Date(
              commit + (prodTime - commit) * jitter(0.5, 0.3),
            ).toISOString(),
            minutes: jitter(2, 0.5),
          });
          owed += habits.failureRate;
          const fails = owed >= 1;
          if (fails) {
            owed -= 1;
          }
          const rolloutFails = fails && rand() < 0.35;
          const prod = record({
            ...common,
            environment: environment('prod'),
            stage: STAGES[2].stage,
            kind: 'promotion',
            status: rolloutFails ? 'failed' : 'succeeded',
            ...(rolloutFails ? { reason: pick(ROLLOUT_FAILURES) } : {}),
            promotedFromKey: staging.key,
            createdBy: `user:default/${pick(team.people)}`,
            startedAt: new Date(prodTime).toISOString(),
            minutes: rolloutFails ? jitter(10, 0.2) : jitter(3, 0.5),
          });
          if (fails && !rolloutFails && lastGoodProd) {
            // Running but broken: someone rolls back to the version before.
            const restore = jitter(habits.restoreHours, 0.5) * HOUR;
            record({
              environment: environment('prod'),
              stage: 'production',
              kind: 'rollback',
              status: 'succeeded',
              image: lastGoodProd.image,
              gitRef: lastGoodProd.gitRef,
              commitTime: lastGoodProd.commitTime,
              rollbackOfKey: lastGoodProd.key,
              createdBy: `user:default/${pick(team.people)}`,
              startedAt: new Date(
                Math.min(prodTime + restore, end - HOUR),
              ).toISOString(),
              minutes: jitter(2, 0.5),
            });
          } else if (!fails) {
            lastGoodProd = prod;
          }
        }
      }
    }
  }
  return history.sort(
    (a, b) =>
      Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
      a.key.localeCompare(b.key),
  );
}

/** The sample components' environments, by component, for docs and tests. */
export function sampleEnvironments(): Record<
  string,
  Array<{ environment: string; stage: EnvironmentStage }>
> {
  return Object.fromEntries(
    TEAMS.flatMap(team => team.components).map(component => [
      `component:default/${component}`,
      STAGES.map(({ suffix, stage }) => ({
        environment: `${component}-${suffix}`,
        stage,
      })),
    ]),
  );
}
