import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's slapd and its schemas are (scripts/lib/bootstrap.sh ensure_slapd). */
const SLAPD = '/usr/sbin/slapd';
const SCHEMA_DIR = '/etc/ldap/schema';
const LDAPMODIFY = '/usr/bin/ldapmodify';

/** Options of {@link startTestSlapd}. */
export interface StartTestSlapdOptions {
  /** The directory's base DN, e.g. `dc=acme,dc=example`. Its entry is created. */
  suffix: string;
  /** Entries to load after the base entry, in LDIF (as `ldapadd` reads it). */
  ldif?: string;
}

/** A private OpenLDAP server on loopback, with an administrator that may write anything. */
export interface TestSlapd {
  /** e.g. `ldap://127.0.0.1:34567` (no trailing slash). */
  url: string;
  suffix: string;
  /** The rootdn: binds with `password` and bypasses access control. */
  adminDn: string;
  password: string;
  /** Adds the entries of an LDIF (`ldapadd`). */
  add(ldif: string): Promise<void>;
  /** Applies an LDIF of changes (`changetype: modify | delete | modrdn | add`). */
  modify(ldif: string): Promise<void>;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

function run(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${file} failed (${
                error.code ?? error.signal
              }): ${stderr.trim()}`,
            ),
          );
        } else {
          resolve(stdout);
        }
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** A port that was free a moment ago; slapd's bind can still lose a race, so callers retry. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function slapdConf(dir: string, suffix: string, adminDn: string, pw: string) {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map(
      schema => `include ${SCHEMA_DIR}/${schema}.schema`,
    ),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    // Referential integrity, as directories run it: renaming or deleting an entry
    // rewrites the member attributes that name it, so a renamed group stays nested.
    'moduleload refint',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'database mdb',
    `suffix "${suffix}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${pw}`,
    `directory ${join(dir, 'data')}`,
    // The map's virtual size: the default (10 MiB) is enough for a test directory.
    'maxsize 10485760',
    'overlay refint',
    'refint_attributes member',
    '',
  ].join('\n');
}

/**
 * Starts a private slapd (Debian's `slapd` package, which `./paved test` installs with
 * ensure_slapd) on a free loopback port, with its own folder, config and database, and
 * loads `ldif`. It daemonizes and answers in about 0.1 s, so each test file starts its
 * own: no state is shared between files or runs. Throws (the test fails, never skips)
 * when slapd is missing.
 */
export async function startTestSlapd(
  options: StartTestSlapdOptions,
): Promise<TestSlapd> {
  if (!existsSync(SLAPD) || !existsSync(LDAPMODIFY)) {
    throw new Error(
      `This test needs OpenLDAP's ${SLAPD} and ${LDAPMODIFY}; run it with ./paved test, or install them with: apt-get install slapd ldap-utils`,
    );
  }
  const { suffix } = options;
  // The base entry is a dcObject, so the suffix starts with dc=.
  const dc = /^dc=([^,]+)/i.exec(suffix)?.[1];
  if (!dc) {
    throw new Error(`suffix must start with dc=, got '${suffix}'`);
  }
  // slapd.conf quotes values with "…"; the suffix is the caller's, so refuse a quote
  // rather than write a config that means something else.
  if (/["\\\n]/.test(suffix)) {
    throw new Error(
      `suffix must not contain quotes, backslashes or newlines: ${suffix}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'paved-slapd-'));
  const adminDn = `cn=admin,${suffix}`;
  // Random per instance; handed to the LDAP tools in a file (-y), never on a command line.
  const password = randomBytes(18).toString('hex');
  const passwordFile = join(dir, 'admin.pw');
  const confFile = join(dir, 'slapd.conf');
  const pidFile = join(dir, 'slapd.pid');
  await writeFile(passwordFile, password, { mode: 0o600 });
  await writeFile(confFile, slapdConf(dir, suffix, adminDn, password), {
    mode: 0o600,
  });
  await mkdir(join(dir, 'data'));

  let url: string | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5 && !url; attempt++) {
    const candidate = `ldap://127.0.0.1:${await freePort()}`;
    try {
      // Exits non-zero when it cannot listen; otherwise forks and writes its pidfile.
      await run(SLAPD, ['-f', confFile, '-h', `${candidate}/`]);
      url = candidate;
    } catch (error) {
      lastError = error;
    }
  }
  if (!url) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`slapd did not start: ${lastError}`);
  }

  const ldapArgs = ['-x', '-H', url, '-D', adminDn, '-y', passwordFile];
  const stop = async () => {
    const pid = Number(
      (await readFile(pidFile, 'utf8').catch(() => '')).trim(),
    );
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
        // slapd removes its pidfile when it has shut down.
        for (let i = 0; i < 100 && existsSync(pidFile); i++) {
          await new Promise(resolve => setTimeout(resolve, 50));
        }
      } catch {
        // Already gone.
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const slapd: TestSlapd = {
    url,
    suffix,
    adminDn,
    password,
    add: async ldif => {
      await run(LDAPMODIFY, [...ldapArgs, '-a'], ldif);
    },
    modify: async ldif => {
      await run(LDAPMODIFY, ldapArgs, ldif);
    },
    stop,
  };
  try {
    await slapd.add(
      `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}\n`,
    );
    if (options.ldif) {
      await slapd.add(options.ldif);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return slapd;
}
