/*
 * What each golden path generates must work on the first day: every template is
 * dry-run with sample input, its files are written to a temporary directory, and the
 * project's own checks run there as its CI would run them (npm ci, test, build, lint),
 * with the Node.js that runs Jest. The rendered TechDocs are built with
 * `mkdocs build --strict`.
 *
 * npm ci downloads the packages, so these tests need the npm registry (or the
 * user's npm cache).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  dryRunOk,
  GoldenPath,
  SAMPLE_INPUT,
  ScaffolderBackend,
  startScaffolder,
  TEMPLATES,
} from './__testUtils__/goldenPaths';

/** A ceiling for npm ci plus the checks on a slow machine, not a performance goal. */
const PROJECT_TIMEOUT_MS = 10 * 60_000;

/** How much of a failing command's output goes into the failure message. */
const OUTPUT_TAIL_CHARS = 20_000;

const PAVED_HOME =
  process.env.PAVED_HOME ?? path.join(path.dirname(TEMPLATES), '.paved');
const MKDOCS = path.join(PAVED_HOME, 'venv', 'bin', 'mkdocs');

/**
 * npm's entry point, to run with the Node.js that runs Jest. A Node.js
 * distribution has it next to the binary; the Node.js that ./paved installs from
 * the npm registry (the node-<os>-<arch> package) has none, and then the npm on
 * PATH is used, still run by this Node.js.
 */
function findNpmCli(): string {
  const candidates = [
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/bin/npm-cli.js',
    ),
  ];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const bin = path.join(dir, 'npm');
    if (dir && fs.existsSync(bin)) candidates.push(fs.realpathSync(bin));
  }
  const found = candidates.find(
    file => file.endsWith('npm-cli.js') && fs.existsSync(file),
  );
  if (!found) {
    throw new Error(
      `No npm found: looked for ${candidates.join(
        ', ',
      )}. Install npm, or run Jest with a Node.js that ships it.`,
    );
  }
  return found;
}

/**
 * The environment of the generated project's commands: this Node.js first on PATH
 * (npm scripts run `node` from PATH), and without what Jest and Yarn set for
 * themselves (NODE_ENV=test would, for instance, make Vite build in test mode).
 */
function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key === 'NODE_ENV' ||
      key === 'JEST_WORKER_ID' ||
      key === 'npm_config_user_agent' ||
      key === 'npm_execpath' ||
      key === 'npm_node_execpath' ||
      key.startsWith('npm_package_') ||
      key.startsWith('npm_lifecycle_')
    ) {
      continue;
    }
    env[key] = value;
  }
  env.PATH = [path.dirname(process.execPath), process.env.PATH].join(
    path.delimiter,
  );
  env.CI = 'true';
  // Plain text in failure messages.
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return env;
}

interface CommandResult {
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs `file` to completion, with stdout and stderr interleaved in `output`;
 * `command` is how failure messages name it.
 */
function run(
  command: string,
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise(resolve => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', chunk => {
      output += chunk;
    });
    child.stderr.on('data', chunk => {
      output += chunk;
    });
    child.on('error', error => {
      resolve({ command, exitCode: null, signal: null, output: String(error) });
    });
    child.on('close', (exitCode, signal) => {
      resolve({ command, exitCode, signal, output });
    });
  });
}

/**
 * Passes when the command exited 0; otherwise the failure message holds the
 * command, its exit code and the end of its output.
 */
function expectSuccess(result: CommandResult, cwd: string) {
  if (result.exitCode !== 0) {
    const tail =
      result.output.length > OUTPUT_TAIL_CHARS
        ? `[...]\n${result.output.slice(-OUTPUT_TAIL_CHARS)}`
        : result.output;
    throw new Error(
      `\`${result.command}\` in ${cwd} failed (exit code ${result.exitCode}, signal ${result.signal}):\n${tail}`,
    );
  }
  expect(result.exitCode).toBe(0);
}

/** Writes the dry run's files, with their executable bits, under `dir`. */
function writeFiles(response: request.Response, dir: string) {
  for (const file of response.body.directoryContents as {
    path: string;
    executable?: boolean;
    base64Content: string;
  }[]) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'), {
      mode: file.executable ? 0o755 : 0o644,
    });
  }
}

describe('golden paths build, test and lint what they generate', () => {
  let backend: ScaffolderBackend;
  let workRoot: string;
  let npmCli: string;
  const env = projectEnv();

  beforeAll(async () => {
    npmCli = findNpmCli();
    backend = await startScaffolder();
    workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-golden-paths-'));
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
  });

  /** Dry-runs a template with its sample input into a directory of its own. */
  async function generate(name: GoldenPath): Promise<string> {
    const response = await dryRunOk(backend.server, name, SAMPLE_INPUT[name]);
    const dir = fs.mkdtempSync(path.join(workRoot, `${name}-`));
    writeFiles(response, dir);
    return dir;
  }

  const templates = Object.keys(SAMPLE_INPUT) as GoldenPath[];

  // eslint-disable-next-line jest/expect-expect -- expectSuccess asserts
  it.each(templates)(
    '%s: npm ci, then npm test, build and lint pass',
    async name => {
      const dir = await generate(name);
      const npm = (...args: string[]) =>
        run(`npm ${args.join(' ')}`, process.execPath, [npmCli, ...args], {
          cwd: dir,
          env,
          timeoutMs: PROJECT_TIMEOUT_MS,
        });

      expectSuccess(await npm('ci', '--no-audit', '--no-fund'), dir);

      const scripts = Object.keys(
        JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
          .scripts ?? {},
      );
      for (const script of ['test', 'build', 'lint'].filter(check =>
        scripts.includes(check),
      )) {
        expectSuccess(await npm('run', script), dir);
      }
    },
    PROJECT_TIMEOUT_MS,
  );

  // Under ./paved test (CI=1) mkdocs is always installed, so there it must run and
  // its absence fails the tests. A developer running this file before
  // `./paved setup` sees these tests reported as skipped.
  const mkdocsRequired = Boolean(process.env.CI);
  const mkdocsAvailable = fs.existsSync(MKDOCS);
  const describeWithMkdocs =
    mkdocsAvailable || mkdocsRequired ? describe : describe.skip;

  describeWithMkdocs('TechDocs', () => {
    it.each(templates)(
      '%s: the docs build with mkdocs build --strict',
      async name => {
        if (!mkdocsAvailable) {
          throw new Error(
            `mkdocs is required when CI is set, but ${MKDOCS} does not exist: run ./paved setup (it installs requirements-docs.txt into ${PAVED_HOME}/venv)`,
          );
        }
        const dir = await generate(name);
        const site = path.join(dir, 'site');
        expectSuccess(
          await run(
            'mkdocs build --strict',
            MKDOCS,
            ['build', '--strict', '--site-dir', site],
            { cwd: dir, env, timeoutMs: 5 * 60_000 },
          ),
          dir,
        );
        expect(fs.existsSync(path.join(site, 'index.html'))).toBe(true);
      },
      5 * 60_000,
    );
  });
});
