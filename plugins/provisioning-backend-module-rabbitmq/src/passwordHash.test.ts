import { createHash } from 'node:crypto';
import { rabbitmqPasswordHash } from './passwordHash';

describe('rabbitmqPasswordHash', () => {
  it("matches the worked example of RabbitMQ's passwords guide", () => {
    // Salt 908D C60A, password test12.
    expect(rabbitmqPasswordHash('test12', Buffer.from('908DC60A', 'hex'))).toBe(
      'kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR',
    );
  });

  it('salts every hash with 4 random bytes, and never contains the password', () => {
    const password = 'correct-horse-battery-staple';
    const first = Buffer.from(rabbitmqPasswordHash(password), 'base64');
    const second = Buffer.from(rabbitmqPasswordHash(password), 'base64');
    expect(first).toHaveLength(4 + 32);
    expect(first.equals(second)).toBe(false);
    const salt = first.subarray(0, 4);
    expect(first.subarray(4)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([salt, Buffer.from(password)]))
        .digest(),
    );
    expect(first.toString('latin1')).not.toContain(password);
  });
});
