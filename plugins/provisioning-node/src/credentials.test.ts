import { generatePassword, issueNewPassword, redactError } from './credentials';

describe('credentials', () => {
  it('generates long, URL-safe, distinct passwords', () => {
    const passwords = new Set(
      Array.from({ length: 100 }, () => generatePassword()),
    );
    expect(passwords.size).toBe(100);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(encodeURIComponent(password)).toBe(password);
    }
  });

  it('redacts secrets from errors and keeps their name', () => {
    const error = new Error('could not use s3cr3t for role x (s3cr3t)');
    error.name = 'NonRetryableError';
    const redacted = redactError(error, ['s3cr3t']);
    expect(redacted.message).toBe(
      'could not use [redacted] for role x ([redacted])',
    );
    expect(redacted.name).toBe('NonRetryableError');
    expect(redacted.stack).not.toContain('s3cr3t');
  });
});

describe('issueNewPassword', () => {
  it('sets a new password and returns it', async () => {
    const set: string[] = [];
    const password = await issueNewPassword(async p => {
      set.push(p);
    });
    expect(set).toEqual([password]);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps the password out of a failure to set it', async () => {
    const failed = await issueNewPassword(async password => {
      throw new Error(`ALTER ROLE orders PASSWORD '${password}' failed`);
    }).catch(error => error);
    expect(failed.message).toBe(
      "ALTER ROLE orders PASSWORD '[redacted]' failed",
    );
  });
});
