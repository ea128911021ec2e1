import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Environment variable with the path of promtool; `./paved test` builds it
 * (scripts/promtool.sh) and exports it.
 */
export const PROMTOOL_ENV = 'PAVED_PROMTOOL';

/** A series of `input_series`: `series` in PromQL selector form, `values` in promtool's notation (`'1+1x10 5x3 _ stale'`). */
export interface PromtoolInputSeries {
  series: string;
  values: string;
}

/** One alert expected to be firing at an `eval_time`. */
export interface PromtoolExpectedAlert {
  /** Every label of the alert but `alertname`, exactly. */
  exp_labels?: Record<string, string>;
  /** Every annotation of the alert, exactly (after templating). */
  exp_annotations?: Record<string, string>;
}

/** The firing alerts named `alertname` at `eval_time`: exactly `exp_alerts` (empty: none fires). */
export interface PromtoolAlertRuleTest {
  /** Time since the start of the test, e.g. `'9m'`, `'72h15m'`. */
  eval_time: string;
  alertname: string;
  /** Firing alerts only: an alert still pending (its `for:` not elapsed) is not among them. */
  exp_alerts: PromtoolExpectedAlert[];
}

/** The result of a PromQL expression at `eval_time` (for recording rules and helpers). */
export interface PromtoolExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number | string }>;
}

/**
 * One entry of a promtool unit test file's `tests:`, in promtool's own field names
 * (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/).
 */
export interface PromtoolTest {
  /** Shown by promtool when the test fails. */
  name?: string;
  /** Time between the samples of `input_series`; promtool's default is `1m`. */
  interval?: string;
  input_series: PromtoolInputSeries[];
  alert_rule_test?: PromtoolAlertRuleTest[];
  promql_expr_test?: PromtoolExprTest[];
  external_labels?: Record<string, string>;
}

/** Anything with a rule file (`groups:`) as its `spec`, such as a PrometheusRule object. */
export interface PrometheusRuleLike {
  spec: unknown;
}

/** Options of {@link checkPrometheusRule}. */
export interface CheckPrometheusRuleOptions {
  /** How often the rules are evaluated during the tests (the file's `evaluation_interval`); default `1m`. */
  evaluationInterval?: string;
  /** The environment to find promtool in; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The repository's root: PAVED_ROOT (./paved exports it), otherwise the nearest folder
 * above the working directory with scripts/promtool.sh (Jest runs in a package's folder
 * or in the root).
 */
function findRepoRoot(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PAVED_ROOT) {
    return env.PAVED_ROOT;
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'promtool.sh'))) {
      return dir;
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * Whether the tests run where real services and tools must be present: `./paved test`
 * sets PAVED_REQUIRE_POSTGRES=1, and there a missing promtool fails the tests instead
 * of skipping them.
 */
export function promtoolRequired(env: NodeJS.ProcessEnv = process.env) {
  return env.PAVED_REQUIRE_POSTGRES === '1';
}

/**
 * The path of promtool: PAVED_PROMTOOL when set (it must then exist), otherwise the one
 * `scripts/promtool.sh build` built into `.paved/bin`; undefined when there is none.
 */
export function findPromtool(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromEnv = env[PROMTOOL_ENV];
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      // A half-configured environment is an error, not a reason to skip.
      throw new Error(`${PROMTOOL_ENV}=${fromEnv} does not exist`);
    }
    return fromEnv;
  }
  const root = findRepoRoot(env);
  if (!root) {
    return undefined;
  }
  try {
    // The script owns the binary's name (it carries the pinned version).
    return execFileSync(join(root, 'scripts', 'promtool.sh'), ['path'], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

const BUILD_HINT =
  'build it with scripts/promtool.sh build (about 3.5 min the first time) or set PAVED_PROMTOOL';

/** promtool's path, or an error saying how to get it. */
function requirePromtool(env: NodeJS.ProcessEnv): string {
  const promtool = findPromtool(env);
  if (!promtool) {
    throw new Error(
      `promtool is needed for this test and not built; ${BUILD_HINT}`,
    );
  }
  return promtool;
}

/**
 * `describe` for tests that run promtool. Without promtool it is `describe.skip`,
 * with the reason in the suite's name, unless promtool is required (under
 * `./paved test`): then the suite runs and its tests fail saying promtool is missing.
 */
export function describeWithPromtool(name: string, fn: () => void): void {
  // The title and body are the caller's, checked where it calls this.
  if (findPromtool() || promtoolRequired()) {
    // eslint-disable-next-line jest/valid-title, jest/valid-describe-callback
    describe(name, fn);
  } else {
    const reason = `promtool is not built; ${BUILD_HINT}`;
    // Jest names no test of a suite skipped whole; say why here.
    // eslint-disable-next-line no-console
    console.warn(`Skipping "${name}": ${reason}`);
    // eslint-disable-next-line jest/no-disabled-tests, jest/valid-describe-callback
    describe.skip(`${name} (skipped: ${reason})`, fn);
  }
}

/**
 * Runs one promtool command; resolves with its output, rejects with an error carrying
 * the command and everything promtool printed.
 */
function runPromtool(promtool: string, args: string[], cwd: string) {
  return new Promise<string>((resolve, reject) => {
    execFile(
      promtool,
      args,
      { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error) {
          reject(
            new Error(`promtool ${args.join(' ')} failed:\n${output || error}`),
          );
        } else {
          resolve(output);
        }
      },
    );
  });
}

interface RuleGroup {
  name?: string;
  rules?: Array<{ alert?: string; record?: string }>;
}

/** The names of the alerting rules in rule files' `groups:` documents. */
function alertNames(specs: unknown[]): string[] {
  return specs.flatMap(spec =>
    ((spec as { groups?: RuleGroup[] } | undefined)?.groups ?? []).flatMap(
      group =>
        (group.rules ?? [])
          .map(rule => rule.alert)
          .filter((alert): alert is string => Boolean(alert)),
    ),
  );
}

/**
 * Every alert must be shown both silent and firing, so no alert passes with a test
 * that could not fail (one that expects nothing of it, or only that it fires).
 */
function untestedAlerts(specs: unknown[], tests: PromtoolTest[]): string[] {
  const checks = tests.flatMap(test => test.alert_rule_test ?? []);
  const problems: string[] = [];
  for (const alert of new Set(alertNames(specs))) {
    const mine = checks.filter(check => check.alertname === alert);
    if (!mine.some(check => check.exp_alerts.length === 0)) {
      problems.push(
        `${alert}: no alert_rule_test expects it silent (exp_alerts: [])`,
      );
    }
    if (!mine.some(check => check.exp_alerts.length > 0)) {
      problems.push(`${alert}: no alert_rule_test expects it to fire`);
    }
  }
  return problems;
}

/**
 * Checks generated Prometheus rules the way Prometheus reads them, and unit tests
 * their alerts:
 *
 * 1. writes each rule's `spec` (a rule file: the `groups:` document of a
 *    prometheus-operator PrometheusRule) to a temporary file;
 * 2. `promtool check rules --lint=all --lint-fatal` on them (syntax, PromQL, templates,
 *    duplicate rules);
 * 3. requires an `alert_rule_test` expecting each alert silent and one expecting
 *    it to fire;
 * 4. `promtool test rules` with `tests` over all the rules together.
 *
 * Rejects with promtool's output when any step fails. Pass several rules to test
 * alerts of different objects side by side (say, two databases' rules), since
 * Prometheus evaluates them together too.
 *
 * @example
 * ```ts
 * await checkPrometheusRule(rule, [{
 *   interval: '1m',
 *   input_series: [{ series: 'queue_depth{queue="orders"}', values: '0+10x20' }],
 *   alert_rule_test: [
 *     { eval_time: '4m', alertname: 'QueueBacklog', exp_alerts: [] },
 *     { eval_time: '10m', alertname: 'QueueBacklog', exp_alerts: [
 *       { exp_labels: { queue: 'orders', severity: 'warning' },
 *         exp_annotations: { summary: 'Queue orders is backing up' } },
 *     ] },
 *   ],
 * }]);
 * ```
 */
export async function checkPrometheusRule(
  rules: PrometheusRuleLike | PrometheusRuleLike[],
  tests: PromtoolTest[],
  options: CheckPrometheusRuleOptions = {},
): Promise<void> {
  const promtool = requirePromtool(options.env ?? process.env);
  const specs = (Array.isArray(rules) ? rules : [rules]).map(r => r.spec);
  const dir = await mkdtemp(join(tmpdir(), 'paved-promtool-'));
  try {
    const ruleFiles = specs.map((_, i) => `rules-${i}.yaml`);
    await Promise.all(
      specs.map((spec, i) =>
        writeFile(join(dir, ruleFiles[i]), stringify(spec)),
      ),
    );
    await runPromtool(
      promtool,
      ['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFiles],
      dir,
    );

    const untested = untestedAlerts(specs, tests);
    if (untested.length > 0) {
      throw new Error(`Alerts without unit tests:\n${untested.join('\n')}`);
    }

    await writeFile(
      join(dir, 'tests.yaml'),
      stringify({
        rule_files: ruleFiles,
        evaluation_interval: options.evaluationInterval ?? '1m',
        tests,
      }),
    );
    await runPromtool(promtool, ['test', 'rules', 'tests.yaml'], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
