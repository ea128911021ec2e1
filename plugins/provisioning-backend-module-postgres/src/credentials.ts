import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (the format of
 * `pg_authid.rolpassword`, RFC 7677). `ALTER ROLE ... PASSWORD '<verifier>'` stores it
 * as it is, so the password itself never reaches the server, its statement log or
 * `pg_stat_statements`; psql's `\password` does the same. Generated passwords are
 * ASCII, for which SASLprep changes nothing.
 */
export function scramSha256Verifier(
  password: string,
  salt: Buffer = randomBytes(16),
): string {
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
