import { randomBytes } from 'node:crypto';

/**
 * A new password or secret key: 32 random bytes, URL-safe base64 (43 characters),
 * safe in URIs and env files.
 *
 * @public
 */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Replaces `secret` in an error's message (and drops its stack and causes) so that a
 * failure of a step that handled it can be stored, logged and shown.
 *
 * @public
 */
export function redactError(error: unknown, secrets: string[]): Error {
  const raw = error instanceof Error ? error.message : String(error);
  const message = secrets
    .filter(Boolean)
    .reduce((text, secret) => text.split(secret).join('[redacted]'), raw);
  const redacted = new Error(message);
  redacted.name = error instanceof Error ? error.name : 'Error';
  return redacted;
}

/**
 * A new password (see `generatePassword`), set by `set` (on the server that checks
 * it); errors never carry it.
 *
 * @public
 */
export async function issueNewPassword(
  set: (password: string) => Promise<void>,
): Promise<string> {
  const password = generatePassword();
  try {
    await set(password);
  } catch (error) {
    throw redactError(error, [password]);
  }
  return password;
}
