import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestSlapd, TestSlapd } from './testSlapd';

const exec = promisify(execFile);

/** Reads the directory back with ldapsearch, as any client would. */
async function search(slapd: TestSlapd, base: string, filter: string) {
  const { stdout } = await exec('/usr/bin/ldapsearch', [
    '-x',
    '-LLL',
    '-H',
    slapd.url,
    '-D',
    slapd.adminDn,
    '-w',
    slapd.password,
    '-b',
    base,
    filter,
    'dn',
  ]);
  return stdout.trim();
}

describe('startTestSlapd', () => {
  it('starts a private slapd on loopback with the LDIF loaded, applies changes, and stops', async () => {
    const slapd = await startTestSlapd({
      suffix: 'dc=acme,dc=example',
      ldif: [
        'dn: ou=people,dc=acme,dc=example',
        'objectClass: organizationalUnit',
        'ou: people',
        '',
        'dn: uid=bob,ou=people,dc=acme,dc=example',
        'objectClass: inetOrgPerson',
        'uid: bob',
        'cn: Bob Okafor',
        'sn: Okafor',
        '',
      ].join('\n'),
    });
    try {
      expect(slapd.url).toMatch(/^ldap:\/\/127\.0\.0\.1:\d+$/);
      expect(
        await search(slapd, 'ou=people,dc=acme,dc=example', '(uid=bob)'),
      ).toBe('dn: uid=bob,ou=people,dc=acme,dc=example');

      await slapd.modify(
        'dn: uid=bob,ou=people,dc=acme,dc=example\nchangetype: delete\n',
      );
      expect(
        await search(slapd, 'ou=people,dc=acme,dc=example', '(uid=bob)'),
      ).toBe('');
    } finally {
      await slapd.stop();
    }
    await expect(
      search(slapd, 'dc=acme,dc=example', '(objectClass=*)'),
    ).rejects.toThrow(/Can't contact LDAP server/);
  });

  it('gives each caller its own server', async () => {
    const [a, b] = await Promise.all([
      startTestSlapd({ suffix: 'dc=a,dc=example' }),
      startTestSlapd({ suffix: 'dc=b,dc=example' }),
    ]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.password).not.toBe(b.password);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('refuses bad LDIF with the server’s reason, and a suffix it cannot write safely', async () => {
    await expect(
      startTestSlapd({
        suffix: 'dc=acme,dc=example',
        ldif: 'dn: uid=x,ou=missing,dc=acme,dc=example\nobjectClass: inetOrgPerson\nuid: x\ncn: x\nsn: x\n',
      }),
    ).rejects.toThrow(/No such object/);
    await expect(startTestSlapd({ suffix: 'dc=a"b' })).rejects.toThrow(
      'suffix must not contain quotes',
    );
    await expect(startTestSlapd({ suffix: 'o=acme' })).rejects.toThrow(
      "suffix must start with dc=, got 'o=acme'",
    );
  });
});
