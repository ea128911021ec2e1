import { createHmac } from 'node:crypto';

/**
 * What is stored for a person: their entity ref, or (when pseudonymizing) an
 * HMAC-SHA256 of it. The same ref always gives the same pseudonym, so counts of
 * distinct people and filters by a team's members still work.
 */
export class Pseudonymizer {
  static identity() {
    return new Pseudonymizer(undefined);
  }

  static withSecret(secret: string) {
    return new Pseudonymizer(secret);
  }

  private constructor(private readonly secret: string | undefined) {}

  get pseudonymizing() {
    return this.secret !== undefined;
  }

  of(userRef: string): string;
  of(userRef: string | undefined): string | undefined;
  of(userRef: string | undefined) {
    if (userRef === undefined || this.secret === undefined) {
      return userRef;
    }
    return `hmac:${createHmac('sha256', this.secret)
      .update(userRef)
      .digest('hex')}`;
  }
}
