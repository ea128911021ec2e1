/*
 * The production backend bundle (scripts/backend-bundle.sh, as the Dockerfile builds it)
 * started as the image starts it: `node packages/backend --config app-config.yaml
 * --config app-config.production.yaml` from the bundle's directory, plus a last layer of
 * the bench's own settings, with an environment the caller spells out (nothing
 * inherited but PATH and HOME, so no secret of the machine leaks in).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What a production deployment sets (docs/running.md) for a backend at `baseUrl` on the
 * Postgres of URL `pg`; GitHub's values are placeholders: nothing in a bench calls GitHub.
 */
export function productionEnv({ baseUrl, pg, ciToken }) {
  return {
    PAVED_BASE_URL: baseUrl,
    BACKEND_SECRET: randomBytes(24).toString('hex'),
    PAVED_CI_TOKEN: ciToken,
    POSTGRES_HOST: pg.hostname,
    POSTGRES_PORT: pg.port || '5432',
    POSTGRES_USER: decodeURIComponent(pg.username),
    POSTGRES_PASSWORD: decodeURIComponent(pg.password),
    AUTH_GITHUB_CLIENT_ID: 'bench-placeholder',
    AUTH_GITHUB_CLIENT_SECRET: 'bench-placeholder',
    GITHUB_TOKEN: 'bench-placeholder',
    PAVED_GITHUB_ORG: 'bench',
  };
}

/** The bundle's directory: PAVED_TEST_BACKEND_BUNDLE, else built (or reused) now. */
export function backendBundleDir(root) {
  const dir =
    process.env.PAVED_TEST_BACKEND_BUNDLE ||
    execFileSync(path.join(root, 'scripts/backend-bundle.sh'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  if (!fs.existsSync(path.join(dir, 'packages/backend/package.json'))) {
    throw new Error(`${dir} is not a backend bundle (no packages/backend)`);
  }
  return dir;
}

/**
 * Starts one backend from the bundle on `port`; `extraConfig` is written to a YAML file
 * (JSON is YAML) in `workDir` and passed last. Resolves once readiness answers 200;
 * rejects with the end of its log if it exits or is not ready within `timeoutMs`.
 */
export async function startBundledBackend({
  bundleDir,
  workDir,
  name,
  port,
  extraConfig,
  env,
  timeoutMs = 240_000,
}) {
  const configFile = path.join(workDir, `${name}.config.yaml`);
  fs.writeFileSync(configFile, JSON.stringify(extraConfig, null, 2));
  const logFile = path.join(workDir, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: bundleDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        // As the image sets it: the scaffolder's isolated-vm needs it on Node 20+.
        NODE_OPTIONS: '--no-node-snapshot',
        ...env,
      },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const tail = () =>
    fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const backend = {
    name,
    url,
    pid: child.pid,
    logFile,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) {
      throw new Error(`backend ${name} exited while starting:\n${tail()}`);
    }
    if (Date.now() > deadline) {
      await backend.stop();
      throw new Error(
        `backend ${name} not ready in ${timeoutMs} ms:\n${tail()}`,
      );
    }
    try {
      const response = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (response.status === 200) return backend;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
