import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSampleAccounts } from './accounts';

const sampleOrg = resolve(__dirname, '../../../examples/org/org');

describe('readSampleAccounts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-idp-accounts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every User of the sample organisation', () => {
    const accounts = readSampleAccounts(sampleOrg);
    expect(accounts).toHaveLength(16);
    expect(accounts).toContainEqual({
      username: 'bob',
      email: 'bob@acme-retail.example',
      name: expect.any(String),
    });
    expect(accounts.map(a => a.username)).toEqual(
      expect.arrayContaining(['alice', 'grace', 'priya']),
    );
    // Groups are not accounts.
    expect(accounts.map(a => a.username)).not.toContain('platform-team');
  });

  it('skips other kinds and falls back to the username for the name', () => {
    writeFileSync(
      join(dir, 'org.yaml'),
      [
        'kind: Group\nmetadata: { name: team }\nspec: { type: team, children: [] }',
        'kind: User\nmetadata: { name: zoë }\nspec: { profile: { email: "zoe@example.com" } }',
      ].join('\n---\n'),
    );
    writeFileSync(join(dir, 'notes.txt'), 'kind: User');
    expect(readSampleAccounts(dir)).toEqual([
      { username: 'zoë', email: 'zoe@example.com', name: 'zoë' },
    ]);
  });

  it('refuses a User without an e-mail address, naming it', () => {
    writeFileSync(
      join(dir, 'users.yaml'),
      'kind: User\nmetadata: { name: nomail }\nspec: { profile: {} }',
    );
    expect(() => readSampleAccounts(dir)).toThrow(
      "User 'nomail' needs metadata.name and spec.profile.email to sign in",
    );
  });

  it('refuses a User defined twice, broken YAML and a folder without users', () => {
    const user =
      'kind: User\nmetadata: { name: bob }\nspec: { profile: { email: b@x.example } }';
    writeFileSync(join(dir, 'a.yaml'), user);
    writeFileSync(join(dir, 'b.yaml'), user);
    expect(() => readSampleAccounts(dir)).toThrow(
      "User 'bob' is defined twice",
    );
    writeFileSync(join(dir, 'b.yaml'), 'kind: [User');
    expect(() => readSampleAccounts(dir)).toThrow(/b\.yaml: /);
    rmSync(join(dir, 'a.yaml'));
    rmSync(join(dir, 'b.yaml'));
    expect(() => readSampleAccounts(dir)).toThrow(
      'holds no User entities to sign in as',
    );
  });
});
