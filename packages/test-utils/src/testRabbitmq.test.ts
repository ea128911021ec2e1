import { requireTestRabbitmq } from './testRabbitmq';

const exported = {
  PAVED_TEST_RABBITMQ_MANAGEMENT_URL: 'http://127.0.0.1:25672/',
  PAVED_TEST_RABBITMQ_AMQP_PORT: '25673',
  PAVED_TEST_RABBITMQ_USER: 'paved-admin',
  PAVED_TEST_RABBITMQ_PASSWORD: 's3cret',
};

describe('requireTestRabbitmq', () => {
  it('gives the administrator of the node the test run exported', () => {
    expect(requireTestRabbitmq(exported)).toEqual({
      managementUrl: 'http://127.0.0.1:25672',
      amqpHost: '127.0.0.1',
      amqpPort: 25673,
      user: 'paved-admin',
      password: 's3cret',
    });
  });

  it('fails, never skips, without a node, naming the variables and ./paved test', () => {
    expect(() => requireTestRabbitmq({})).toThrow(
      'This test needs a real RabbitMQ node, but PAVED_TEST_RABBITMQ_MANAGEMENT_URL, PAVED_TEST_RABBITMQ_AMQP_PORT, PAVED_TEST_RABBITMQ_USER, PAVED_TEST_RABBITMQ_PASSWORD are not set; run it with ./paved test',
    );
  });

  it('names the one variable that is missing', () => {
    expect(() =>
      requireTestRabbitmq({
        ...exported,
        PAVED_TEST_RABBITMQ_PASSWORD: '',
      }),
    ).toThrow(/but PAVED_TEST_RABBITMQ_PASSWORD is not set/);
  });

  it('rejects a port or URL that is not one', () => {
    expect(() =>
      requireTestRabbitmq({ ...exported, PAVED_TEST_RABBITMQ_AMQP_PORT: 'x' }),
    ).toThrow("PAVED_TEST_RABBITMQ_AMQP_PORT must be a TCP port, got 'x'");
    expect(() =>
      requireTestRabbitmq({
        ...exported,
        PAVED_TEST_RABBITMQ_MANAGEMENT_URL: '127.0.0.1:25672',
      }),
    ).toThrow('PAVED_TEST_RABBITMQ_MANAGEMENT_URL must be an http(s) URL');
  });
});
