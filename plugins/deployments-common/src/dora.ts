import {
  DeploymentRecord,
  DoraFigures,
  DoraLevel,
  DoraReport,
  DoraWeek,
} from './deployments';

/**
 * Delivery (DORA) figures from deployment records and incidents.
 *
 * What counts (production stage only; the caller passes the records and incidents of
 * the scope — a component, a team's components, everything):
 * - a *change* is a `deploy` or `promotion` that finished in the period; rollbacks
 *   are remediation, not changes;
 * - *deployment frequency*: succeeded changes per week of the period;
 * - *lead time*: median hours from `commitTime` to `finishedAt` of succeeded changes
 *   that report a commit time;
 * - *change failure rate*: (succeeded changes that failed + failed changes) / all
 *   changes. A succeeded change failed when, within `failureWindowHours` after it
 *   finished, a rollback of the same component and environment started or an
 *   incident of the component was opened, and it was the newest succeeded change
 *   there before that event (the one running when things went wrong: a rollback or
 *   incident is blamed on one change, not on every change of the window);
 * - *time to restore*: median hours of failure episodes that started in the period
 *   and ended: an incident from opened to resolved; a failed change, or a change
 *   that was rolled back, from its finish to the next succeeded deployment (of any
 *   kind, e.g. the rollback) of the same component and environment.
 * Weeks start on Monday 00:00 UTC.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * The DORA performance bands of the 2023 Accelerate State of DevOps report, as the
 * boundaries between levels:
 * - deployment frequency: elite = on demand (multiple per day; here: at least daily,
 *   7 a week), high = between once per day and once per week, medium = between once
 *   per week and once per month, low = less often;
 * - change lead time: elite < one day, high < one week, medium < one month, low beyond;
 * - change failure rate: elite 5 %, high 10 %, medium 15 %, low 64 % (the report's
 *   cluster values; a rate up to a level's value has that level);
 * - failed deployment recovery time: elite < one hour, high < one day,
 *   medium < one week, low beyond (the report's low is one to six months).
 *
 * @public
 */
export const DORA_BANDS = {
  /** Minimum deployments per week for each level. */
  deploymentsPerWeek: { elite: 7, high: 1, medium: 7 / 30 },
  /** Lead time in hours below which each level is reached. */
  leadTimeHours: { elite: 24, high: 7 * 24, medium: 30 * 24 },
  /** Highest change failure rate (0–1) of each level. */
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  /** Time to restore in hours below which each level is reached. */
  timeToRestoreHours: { elite: 1, high: 24, medium: 7 * 24 },
} as const;

/** @public */
export function deploymentFrequencyLevel(perWeek: number): DoraLevel {
  const b = DORA_BANDS.deploymentsPerWeek;
  if (perWeek >= b.elite) return 'elite';
  if (perWeek >= b.high) return 'high';
  if (perWeek >= b.medium) return 'medium';
  return 'low';
}

/** @public */
export function leadTimeLevel(hours: number): DoraLevel {
  const b = DORA_BANDS.leadTimeHours;
  if (hours < b.elite) return 'elite';
  if (hours < b.high) return 'high';
  if (hours < b.medium) return 'medium';
  return 'low';
}

/** @public */
export function changeFailureRateLevel(rate: number): DoraLevel {
  const b = DORA_BANDS.changeFailureRate;
  if (rate <= b.elite) return 'elite';
  if (rate <= b.high) return 'high';
  if (rate <= b.medium) return 'medium';
  return 'low';
}

/** @public */
export function timeToRestoreLevel(hours: number): DoraLevel {
  const b = DORA_BANDS.timeToRestoreHours;
  if (hours < b.elite) return 'elite';
  if (hours < b.high) return 'high';
  if (hours < b.medium) return 'medium';
  return 'low';
}

/** An incident of a component, as the incidents plugin reports it. @public */
export interface DoraIncident {
  /** The component's entity ref, as in deployment records. */
  component: string;
  openedAt: string;
  resolvedAt?: string;
}

/** @public */
export interface DoraOptions {
  /** What the report is for, echoed: `component:…`, `group:…` or `organisation`. */
  scope: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  failureWindowHours: number;
}

/** The median, or undefined for no values. @public */
export function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Monday 00:00 UTC of the week of `time`. */
function mondayOf(t: number): number {
  const d = new Date(t);
  const day = d.getUTCDay(); // 0 = Sunday
  const back = (day + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back);
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

interface Change {
  record: DeploymentRecord;
  /** When it finished (failed ones without `finishedAt`: when they started). */
  at: number;
  succeeded: boolean;
  /** A succeeded change that a rollback or incident was blamed on. */
  failedLater: boolean;
  rolledBack: boolean;
  leadHours?: number;
}

interface Episode {
  at: number;
  hours: number;
}

interface Analysis {
  changes: Change[];
  episodes: Episode[];
}

const key = (r: DeploymentRecord) => `${r.component}\u0000${r.environment}`;

/** The newest change finished at or before `t` (changes sorted by `at`). */
function newestBefore(
  changes: Change[] | undefined,
  t: number,
): Change | undefined {
  let found: Change | undefined;
  for (const c of changes ?? []) {
    if (c.at > t) break;
    found = c;
  }
  return found;
}

function analyse(
  records: DeploymentRecord[],
  incidents: DoraIncident[],
  windowMs: number,
): Analysis {
  const production = records.filter(r => r.stage === 'production');

  const changes: Change[] = [];
  for (const record of production) {
    if (record.kind === 'rollback' || record.status === 'in-progress') continue;
    const succeeded = record.status === 'succeeded';
    const at = time(record.finishedAt) ?? time(record.startedAt);
    if (at === undefined) continue;
    const commit = time(record.commitTime);
    const lead = commit === undefined ? undefined : (at - commit) / HOUR;
    changes.push({
      record,
      at,
      succeeded,
      failedLater: false,
      rolledBack: false,
      // a commit after the rollout is bad data, not a lead time
      leadHours:
        succeeded && lead !== undefined && lead >= 0 ? lead : undefined,
    });
  }
  changes.sort((a, b) => a.at - b.at);

  const succeededBy = (group: (r: DeploymentRecord) => string) => {
    const map = new Map<string, Change[]>();
    for (const c of changes) {
      if (!c.succeeded) continue;
      const k = group(c.record);
      map.set(k, [...(map.get(k) ?? []), c]);
    }
    return map;
  };
  const byEnvironment = succeededBy(key);
  const byComponent = succeededBy(r => r.component);

  for (const rollback of production) {
    if (rollback.kind !== 'rollback') continue;
    const started = time(rollback.startedAt);
    if (started === undefined) continue;
    const blamed = newestBefore(byEnvironment.get(key(rollback)), started);
    if (blamed && started - blamed.at <= windowMs) {
      blamed.failedLater = true;
      blamed.rolledBack = true;
    }
  }
  for (const incident of incidents) {
    const opened = time(incident.openedAt);
    if (opened === undefined) continue;
    const blamed = newestBefore(byComponent.get(incident.component), opened);
    if (blamed && opened - blamed.at <= windowMs) blamed.failedLater = true;
  }

  // Succeeded deployments of any kind (rollbacks too) restore an environment.
  const restorers = new Map<string, number[]>();
  for (const r of production) {
    const at = time(r.finishedAt);
    if (r.status !== 'succeeded' || at === undefined) continue;
    restorers.set(key(r), [...(restorers.get(key(r)) ?? []), at]);
  }
  for (const list of restorers.values()) list.sort((a, b) => a - b);
  const restoredAfter = (r: DeploymentRecord, t: number) =>
    restorers.get(key(r))?.find(x => x > t);

  const episodes: Episode[] = [];
  for (const incident of incidents) {
    const opened = time(incident.openedAt);
    const resolved = time(incident.resolvedAt);
    if (opened !== undefined && resolved !== undefined && resolved >= opened) {
      episodes.push({ at: opened, hours: (resolved - opened) / HOUR });
    }
  }
  for (const c of changes) {
    if (c.succeeded && !c.rolledBack) continue;
    const restored = restoredAfter(c.record, c.at);
    if (restored !== undefined) {
      episodes.push({ at: c.at, hours: (restored - c.at) / HOUR });
    }
  }
  return { changes, episodes };
}

function figures(
  analysis: Analysis,
  start: number,
  end: number,
  weeks: number,
): DoraFigures {
  const inPeriod = (t: number) => t >= start && t < end;
  const changes = analysis.changes.filter(c => inPeriod(c.at));
  const succeeded = changes.filter(c => c.succeeded);
  const failed = changes.filter(c => !c.succeeded || c.failedLater);

  const deploymentsPerWeek = weeks > 0 ? succeeded.length / weeks : 0;
  const leadTimeHours = median(
    succeeded.flatMap(c => (c.leadHours === undefined ? [] : [c.leadHours])),
  );
  const changeFailureRate = changes.length
    ? failed.length / changes.length
    : undefined;
  const timeToRestoreHours = median(
    analysis.episodes.filter(e => inPeriod(e.at)).map(e => e.hours),
  );

  return {
    deploymentsPerWeek,
    leadTimeHours,
    changeFailureRate,
    timeToRestoreHours,
    deployments: changes.length,
    levels: {
      deploymentFrequency: deploymentFrequencyLevel(deploymentsPerWeek),
      leadTime:
        leadTimeHours === undefined ? undefined : leadTimeLevel(leadTimeHours),
      changeFailureRate:
        changeFailureRate === undefined
          ? undefined
          : changeFailureRateLevel(changeFailureRate),
      timeToRestore:
        timeToRestoreHours === undefined
          ? undefined
          : timeToRestoreLevel(timeToRestoreHours),
    },
  };
}

/** Drops undefined fields, so that reports compare and serialise cleanly. */
function compact(f: DoraFigures): DoraFigures {
  const levels = Object.fromEntries(
    Object.entries(f.levels).filter(([, v]) => v !== undefined),
  ) as DoraFigures['levels'];
  const out = Object.fromEntries(
    Object.entries(f).filter(([, v]) => v !== undefined),
  ) as unknown as DoraFigures;
  return { ...out, levels };
}

/**
 * The DORA report of a scope over `[from, to)`: the figures of the whole period and
 * of each week (Monday UTC) it touches. A week cut by `from` or `to` counts only its
 * part inside the period, and its `deploymentsPerWeek` is the count in that part.
 *
 * @public
 */
export function doraReport(
  records: DeploymentRecord[],
  incidents: DoraIncident[],
  options: DoraOptions,
): DoraReport {
  const start = options.from.getTime();
  const end = options.to.getTime();
  if (!(end > start)) {
    throw new RangeError(
      'the period of a DORA report must end after it starts',
    );
  }
  if (!(options.failureWindowHours > 0)) {
    throw new RangeError('failureWindowHours must be positive');
  }
  const analysis = analyse(
    records,
    incidents,
    options.failureWindowHours * HOUR,
  );

  const weeks: DoraWeek[] = [];
  for (let monday = mondayOf(start); monday < end; monday += WEEK) {
    const week = figures(
      analysis,
      Math.max(monday, start),
      Math.min(monday + WEEK, end),
      1,
    );
    weeks.push({
      week: new Date(monday).toISOString().slice(0, 10),
      ...compact(week),
    });
  }

  return {
    scope: options.scope,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    failureWindowHours: options.failureWindowHours,
    overall: compact(figures(analysis, start, end, (end - start) / WEEK)),
    weeks,
  };
}
