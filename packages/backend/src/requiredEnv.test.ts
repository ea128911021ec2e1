import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFiles, missingVariables } from './requiredEnv';

const ROOT = path.resolve(__dirname, '../../..');

describe('requiredEnv', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-required-env-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every form of --config', () => {
    expect(
      configFiles([
        'node',
        'packages/backend',
        '--config',
        'a.yaml',
        '--config=b.yaml',
        '-c',
        'c.yaml',
        '--other',
      ]),
    ).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('names unset variables without a default, with where they are used', () => {
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      [
        'backend:',
        '  baseUrl: ${BASE:-http://localhost:7007}',
        '  auth:',
        '    keys:',
        '      - secret: ${SECRET}',
        '  literal: $${NOT_A_VARIABLE}',
        '  url: postgres://${USER_NAME}:${PASS}@host',
        '# commented: ${IN_A_COMMENT}',
      ].join('\n'),
    );
    expect(missingVariables([file], { USER_NAME: 'u', PASS: '' })).toEqual([
      { name: 'SECRET', file, at: 'backend.auth.keys[0].secret' },
      { name: 'PASS', file, at: 'backend.url' },
    ]);
    expect(
      missingVariables([file], { SECRET: 's', USER_NAME: 'u', PASS: 'p' }),
    ).toEqual([]);
  });

  it("covers app-config.production.yaml's variables, and app-config.yaml needs none", () => {
    const production = path.join(ROOT, 'app-config.production.yaml');
    const names = missingVariables([production], {}).map(m => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'BACKEND_SECRET',
        'POSTGRES_HOST',
        'POSTGRES_USER',
        'POSTGRES_PASSWORD',
        'AUTH_GITHUB_CLIENT_ID',
        'AUTH_GITHUB_CLIENT_SECRET',
      ]),
    );
    // The commented-out LDAP and GitHub examples require nothing.
    expect(names).not.toContain('LDAP_URL');
    expect(names).not.toContain('POSTGRES_PORT'); // has a default
    expect(missingVariables([path.join(ROOT, 'app-config.yaml')], {})).toEqual(
      [],
    );
  });
});
