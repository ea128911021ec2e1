import { createHash, randomBytes } from 'node:crypto';

/** The hashing algorithm of {@link rabbitmqPasswordHash}, as the management API names it. */
export const PASSWORD_HASHING_ALGORITHM = 'rabbit_password_hashing_sha256';

/**
 * The salted hash RabbitMQ stores for `password` with `rabbit_password_hashing_sha256`:
 * base64 of a 4-byte salt followed by SHA-256(salt ‖ UTF-8 password), as in RabbitMQ's
 * "Credentials and Passwords" guide. Setting a user with `password_hash` instead of
 * `password` keeps the password itself out of the broker's API calls and HTTP logs.
 */
export function rabbitmqPasswordHash(
  password: string,
  salt: Buffer = randomBytes(4),
): string {
  const digest = createHash('sha256')
    .update(salt)
    .update(password, 'utf8')
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}
