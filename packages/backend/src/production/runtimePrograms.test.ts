/**
 * deploy/runtime-programs.yaml is the one list of programs the backend runs as child
 * processes. This test keeps it true and followed:
 *  - every program the backend's own packages spawn (found by scanning their source,
 *    so a new spawn without an entry fails here) and every Backstage library in the
 *    backend that can run one is accounted for;
 *  - the Dockerfile's runtime stage installs exactly the listed Debian packages, from
 *    the list itself, with pg_dump/pg_restore of the listed major from PGDG;
 *  - docs/running.md's table shows the list;
 *  - the programs are on this machine where the tests need them, of a version that
 *    works (pg_dump at least the test servers' major). Nothing is installed here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../../..');
const LIST_FILE = 'deploy/runtime-programs.yaml';

interface RunBy {
  package: string;
  source: string;
  library?: boolean;
  when?: { config: string; equals: string };
  why: string;
}
interface ProgramEntry {
  program: string;
  debian: string;
  pip?: string;
  minVersion: string;
  versionWhy: string;
  runBy: RunBy[];
}
interface RuntimeList {
  programs: ProgramEntry[];
  image: { debian: string; why: string }[];
  notRun: { package: string; why: string }[];
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The list, refused with a message naming the entry when a field is missing. */
function loadList(): RuntimeList {
  const list = parse(read(LIST_FILE)) as RuntimeList;
  const need = (value: unknown, what: string) => {
    if (typeof value !== 'string' || !value.trim()) {
      throw new Error(`${LIST_FILE}: ${what} must be a non-empty string`);
    }
    // Every text lands in a docs table cell.
    if (value.includes('|')) {
      throw new Error(`${LIST_FILE}: ${what} must not contain '|'`);
    }
  };
  for (const p of list.programs) {
    for (const key of ['program', 'debian', 'minVersion', 'versionWhy']) {
      need((p as any)[key], `programs[${p.program}].${key}`);
    }
    if (!p.runBy?.length) {
      throw new Error(`${LIST_FILE}: programs[${p.program}].runBy is empty`);
    }
    for (const r of p.runBy) {
      for (const key of ['package', 'source', 'why']) {
        need((r as any)[key], `programs[${p.program}].runBy.${key}`);
      }
    }
  }
  for (const i of list.image) need(i.debian, 'image[].debian');
  for (const n of list.notRun) need(n.why, `notRun[${n.package}].why`);
  return list;
}

const words = (text: string) => text.trim().split(/\s+/);

// --- The backend's code, found from its package.json ---

/** Directory of a package as Node resolves it from `from` (node-modules linker). */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return fs.realpathSync(candidate);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package the bundled backend loads: its production dependencies,
 * transitively, as directories with their names (one name may have several copies).
 * `app` is left out: the frontend is served as static files and never runs in Node.
 */
function backendClosure(): Map<string, string> {
  const seen = new Map<string, string>();
  const stack = [path.join(ROOT, 'packages/backend')];
  while (stack.length) {
    const dir = stack.pop()!;
    if (seen.has(dir)) continue;
    const pkg = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    );
    seen.set(dir, pkg.name);
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies };
    for (const name of Object.keys(deps)) {
      if (name === 'app') continue;
      const found = findPackage(name, dir);
      if (found) stack.push(found);
    }
  }
  return seen;
}

function listFiles(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : listFiles(file, keep);
    }
    return keep(file) ? [file] : [];
  });
}

const TEST_CODE =
  /(\.test\.[cm]?[jt]sx?$|\/__testUtils__\/|\/__fixtures__\/|\/__mocks__\/|\/setupTests\.[jt]s$)/;

// Modules that start processes; `from 'x'`, `require('x')` and `import('x')`.
const SPAWN_MODULE =
  /(?:from\s*|require\(\s*|import\(\s*)['"](?:node:)?(?:child_process|execa|cross-spawn|zx|shelljs)['"]/;
// Calls with the program as a string literal: spawn('git', ...), cp.execFile("x"),
// exec('sh -c ...') (a shell command line: its first word), fork(...) (node).
const SPAWN_CALL =
  /(?:(?<![\w$.])|(?<=\w\.))(spawn|spawnSync|execFile|execFileSync|execSync|execa|execaSync|fork)\(\s*(?:(['"`])([^'"`$]*)\2)?|(?<![\w$.])exec\(\s*(?:(['"`])([^'"`$]*)\4)?/g;

interface Spawner {
  /** Programs named literally in the calls. */
  programs: Set<string>;
}

/** What a source file spawns, or undefined when it starts no process. */
function scanSource(text: string): Spawner | undefined {
  if (!SPAWN_MODULE.test(text)) return undefined;
  const programs = new Set<string>();
  for (const match of text.matchAll(SPAWN_CALL)) {
    if (match[1] === 'fork') programs.add('node');
    const literal = match[3] ?? match[5];
    if (literal) programs.add(path.basename(words(literal)[0]));
  }
  return { programs };
}

/** Files of the backend's own packages (plugins/*, packages/*) that start processes. */
function workspaceSpawners(closure: Map<string, string>) {
  const found = new Map<string, Spawner & { package: string }>();
  for (const [dir, name] of closure) {
    if (
      !dir.startsWith(`${ROOT}/plugins/`) &&
      !dir.startsWith(`${ROOT}/packages/`)
    ) {
      continue;
    }
    const files = listFiles(
      path.join(dir, 'src'),
      file => /\.[cm]?[jt]sx?$/.test(file) && !TEST_CODE.test(file),
    );
    for (const file of files) {
      const spawner = scanSource(fs.readFileSync(file, 'utf8'));
      if (spawner) {
        found.set(path.relative(ROOT, file), { ...spawner, package: name });
      }
    }
  }
  return found;
}

/** Installed third-party packages of the closure whose code can start processes. */
function librarySpawners(
  closure: Map<string, string>,
  names: (name: string) => boolean,
) {
  const found = new Map<string, string[]>(); // name -> its copies' directories
  for (const [dir, name] of closure) {
    if (
      dir.startsWith(`${ROOT}/plugins/`) ||
      dir.startsWith(`${ROOT}/packages/`)
    ) {
      continue;
    }
    if (!names(name)) continue;
    const spawns = listFiles(dir, file => /\.[cm]?js$/.test(file)).some(file =>
      SPAWN_MODULE.test(fs.readFileSync(file, 'utf8')),
    );
    if (spawns) found.set(name, [...(found.get(name) ?? []), dir]);
  }
  return found;
}

function configValue(file: string, key: string): unknown {
  return key
    .split('.')
    .reduce<any>((node, part) => node?.[part], parse(read(file)));
}

// --- The Dockerfile's runtime stage ---

/** The last stage, with line continuations joined. */
function runtimeStage(): string {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m);
  return `FROM ${stages[stages.length - 1]}`.replace(/\\\n\s*/g, ' ');
}

/**
 * The sed expression with which the stage's `apt-get install` reads the packages
 * from the copied list; the test runs the same sed on the list.
 */
const INSTALL_FROM_LIST =
  /apt-get install -y --no-install-recommends \$\(sed -n '([^']+)' \/tmp\/runtime-programs\.yaml\)/;

/** Package names written out literally in the stage's `apt-get install` commands. */
function literalAptPackages(stage: string): string[] {
  return [...stage.matchAll(/apt-get install([^&\n]*)/g)].flatMap(m =>
    words(m[1].replace(/\$\([^)]*\)/g, '')).filter(
      w => w && !w.startsWith('-'),
    ),
  );
}

// --- This machine ---

function onPath(program: string, extraDirs: string[] = []): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? '').split(path.delimiter),
    ...extraDirs,
  ];
  return dirs
    .filter(Boolean)
    .map(dir => path.join(dir, program))
    .find(file => fs.existsSync(file));
}

function versionOf(executable: string): string {
  const out = execFileSync(executable, ['--version'], { encoding: 'utf8' });
  const version = /\d+(?:\.\d+)+|\d+/.exec(out)?.[0];
  if (!version)
    throw new Error(`${executable} --version printed no version: ${out}`);
  return version;
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Majors of the test Postgres servers (BACKSTAGE_TEST_DATABASE_POSTGRES*). */
async function testServerMajors(): Promise<number[]> {
  const urls = Object.entries(process.env)
    .filter(([name]) =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(name),
    )
    .map(([, url]) => url!);
  const majors: number[] = [];
  for (const connectionString of urls) {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query('SHOW server_version_num');
      majors.push(Math.floor(Number(rows[0].server_version_num) / 10000));
    } finally {
      await client.end();
    }
  }
  return majors;
}

// --- The docs table ---

const DOCS = 'docs/running.md';
const DOCS_HEADING = '### Programs the backend runs';

function expectedDocsRows(list: RuntimeList): string[][] {
  const code = (text: string) =>
    words(text)
      .map(w => `\`${w}\``)
      .join(' ');
  return list.programs.flatMap(p =>
    p.runBy.map(r => [
      code(p.program),
      code(p.debian) + (p.pip ? ` + pip \`${p.pip}\`` : ''),
      `≥ ${p.minVersion}: ${p.versionWhy}`,
      `\`${r.package}\``,
      r.why,
    ]),
  );
}

function docsSection(): string {
  const text = read(DOCS);
  const start = text.indexOf(`\n${DOCS_HEADING}\n`);
  if (start < 0) throw new Error(`${DOCS} has no "${DOCS_HEADING}" section`);
  const rest = text.slice(start + DOCS_HEADING.length + 2);
  const end = rest.search(/^#{1,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

function docsRows(section: string): string[][] {
  return section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .map(line =>
      line
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map(cell => cell.trim()),
    )
    .filter(cells => !cells.every(cell => /^:?-+:?$/.test(cell)))
    .slice(1); // the header
}

describe('runtime programs (deploy/runtime-programs.yaml)', () => {
  const list = loadList();
  const closure = backendClosure();
  const listedSources = new Map<string, Set<string>>(); // source -> programs
  for (const p of list.programs) {
    for (const r of p.runBy.filter(x => !x.library)) {
      const programs = listedSources.get(r.source) ?? new Set<string>();
      listedSources.set(r.source, programs.add(p.program));
    }
  }

  it('lists every program the backend’s own packages spawn', () => {
    const spawners = workspaceSpawners(closure);
    // The scan finds the spawns the list names: it is not blind.
    expect([...spawners.keys()].sort()).toEqual(
      expect.arrayContaining([...listedSources.keys()].sort()),
    );

    const unlisted: string[] = [];
    for (const [file, spawner] of spawners) {
      const listed = listedSources.get(file);
      if (!listed) {
        unlisted.push(
          `${file} (${spawner.package}) starts processes (${
            [...spawner.programs].join(', ') || 'program not a literal'
          }) but is no runBy.source of ${LIST_FILE}`,
        );
        continue;
      }
      for (const program of spawner.programs) {
        if (!listed.has(program)) {
          unlisted.push(
            `${file} runs ${program}, not listed for it in ${LIST_FILE}`,
          );
        }
      }
    }
    expect(unlisted).toEqual([]);

    // Each entry still holds: the file is in the backend and names the program
    // (a dynamic command, like the backups' pg_dump path, is named in the file).
    for (const p of list.programs) {
      for (const r of p.runBy.filter(x => !x.library)) {
        expect(spawners.get(r.source)?.package).toBe(r.package);
        expect(read(r.source)).toContain(`'${p.program}'`);
      }
    }
  });

  it('accounts for every Backstage library in the backend that can run programs', () => {
    const libraries = list.programs.flatMap(p =>
      p.runBy.filter(r => r.library).map(r => ({ ...r, program: p.program })),
    );
    const notRun = new Set(list.notRun.map(n => n.package));
    const spawners = librarySpawners(
      closure,
      name =>
        name.startsWith('@backstage/') ||
        notRun.has(name) ||
        libraries.some(l => l.package === name),
    );

    const accounted = new Set([...notRun, ...libraries.map(l => l.package)]);
    expect(
      [...spawners.keys()].filter(name => !accounted.has(name)).sort(),
    ).toEqual([]);
    // No stale entries: each named library is in the backend and can run programs.
    expect([...accounted].filter(name => !spawners.has(name)).sort()).toEqual(
      [],
    );

    for (const library of libraries) {
      for (const dir of spawners.get(library.package)!) {
        const source = fs.readFileSync(path.join(dir, library.source), 'utf8');
        expect(source).toContain(`"${library.program}"`);
      }
    }
    // The production config is what makes each library run its program.
    const conditions = libraries.flatMap(l => (l.when ? [l.when] : []));
    expect(
      conditions.map(when => ({
        [when.config]: configValue('app-config.production.yaml', when.config),
      })),
    ).toEqual(conditions.map(when => ({ [when.config]: when.equals })));
  });

  it('is what the Dockerfile’s runtime stage installs', () => {
    const stage = runtimeStage();
    const listed = new Set(
      [...list.programs, ...list.image].flatMap(entry => words(entry.debian)),
    );

    // The stage installs from the list itself...
    expect(stage).toContain(`COPY ${LIST_FILE} /tmp/runtime-programs.yaml`);
    const sedExpression = INSTALL_FROM_LIST.exec(stage)?.[1];
    expect(sedExpression).toBeDefined();
    // ...and its sed reads exactly the list's packages (one-line `debian:` values).
    const fromSed = words(
      execFileSync('sed', ['-n', sedExpression!, path.join(ROOT, LIST_FILE)], {
        encoding: 'utf8',
      }),
    );
    for (const name of fromSed) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
    }
    expect(new Set(fromSed)).toEqual(listed);
    // Packages written out in the stage (the PGDG set-up) are listed too, with why.
    expect(literalAptPackages(stage).filter(name => !listed.has(name))).toEqual(
      [],
    );

    // pg_dump/pg_restore: PGDG's client of the listed major, which the backups use.
    expect(stage).toContain(
      '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y',
    );
    for (const p of list.programs) {
      for (const name of words(p.debian)) {
        const major = /^postgresql-client-(\d+)$/.exec(name)?.[1];
        if (!major) continue;
        expect(Number(major)).toBeGreaterThanOrEqual(Number(p.minVersion));
        expect(stage).toMatch(
          new RegExp(
            `ENV (?:.* )?PAVED_PG_BIN=/usr/lib/postgresql/${major}/bin\\b`,
          ),
        );
      }
    }

    // Programs from pip: the requirements installed into a virtualenv on PATH.
    for (const p of list.programs.filter(x => x.pip)) {
      const file = path.basename(p.pip!);
      expect(fs.existsSync(path.join(ROOT, p.pip!))).toBe(true);
      expect(stage).toContain(`COPY ${p.pip} /tmp/${file}`);
      const venv = /python3 -m venv (\S+)/.exec(stage)?.[1];
      expect(venv).toBeDefined();
      expect(stage).toContain(
        `${venv}/bin/pip install --no-cache-dir -r /tmp/${file}`,
      );
      expect(stage).toMatch(new RegExp(`ENV (?:.* )?PATH=${venv}/bin:`));
    }
  });

  it('is the table of docs/running.md', () => {
    const section = docsSection();
    const expected = expectedDocsRows(list);
    const table = [
      '| Program | Debian package | Version | Run by | Why |',
      '| --- | --- | --- | --- | --- |',
      ...expected.map(row => `| ${row.join(' | ')} |`),
    ].join('\n');
    // On a difference, the message holds the table to paste (then run prettier).
    expect({ rows: docsRows(section), table }).toEqual({
      rows: expected,
      table,
    });
    for (const entry of list.image) {
      for (const name of words(entry.debian)) {
        expect(section).toContain(`\`${name}\``);
      }
    }
  });

  it('finds the programs on this machine where the tests run them', async () => {
    const problems: string[] = [];
    const serverMajors = await testServerMajors();
    const pavedHome = process.env.PAVED_HOME ?? path.join(ROOT, '.paved');
    for (const p of list.programs) {
      let executable: string | undefined;
      if (/postgresql-client-/.test(p.debian)) {
        // As the backups find them: $PAVED_PG_BIN, else PATH.
        const bin = process.env.PAVED_PG_BIN;
        executable =
          bin && fs.existsSync(path.join(bin, p.program))
            ? path.join(bin, p.program)
            : onPath(p.program);
      } else if (p.pip) {
        // ./paved test puts its virtualenv on PATH.
        executable = onPath(p.program, [path.join(pavedHome, 'venv/bin')]);
      } else {
        executable = onPath(p.program);
      }
      if (!executable) {
        problems.push(`${p.program} is not installed (Debian: ${p.debian})`);
        continue;
      }
      const version = versionOf(executable);
      if (/postgresql-client-/.test(p.debian)) {
        // What matters is the servers it dumps: a major at least theirs.
        for (const server of serverMajors) {
          if (Number(version.split('.')[0]) < server) {
            problems.push(
              `${executable} is ${version}, older than the test Postgres ${server}`,
            );
          }
        }
      } else if (!atLeast(version, p.minVersion)) {
        problems.push(`${executable} is ${version}, needs ${p.minVersion}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
