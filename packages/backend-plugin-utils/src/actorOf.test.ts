import { mockCredentials } from '@backstage/backend-test-utils';
import { actorOf } from './actorOf';

describe('actorOf', () => {
  it("names a user by entity ref, a service by subject, and anyone else 'anonymous'", () => {
    expect(actorOf(mockCredentials.user('user:default/bob'))).toBe(
      'user:default/bob',
    );
    expect(actorOf(mockCredentials.service('external:ci'))).toBe('external:ci');
    expect(actorOf(mockCredentials.none())).toBe('anonymous');
  });
});
