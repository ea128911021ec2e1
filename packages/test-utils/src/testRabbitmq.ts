import { portFrom, requiredServerVariables, urlFrom } from './testServerEnv';

/** The administrator of the test run's RabbitMQ node, which tests provision on. */
export interface TestRabbitmq {
  /** The management HTTP API, e.g. http://127.0.0.1:25672 (no trailing slash). */
  managementUrl: string;
  amqpHost: string;
  amqpPort: number;
  /** An administrator: may create vhosts, users and permissions. */
  user: string;
  password: string;
}

const VARIABLES = [
  'PAVED_TEST_RABBITMQ_MANAGEMENT_URL',
  'PAVED_TEST_RABBITMQ_AMQP_PORT',
  'PAVED_TEST_RABBITMQ_USER',
  'PAVED_TEST_RABBITMQ_PASSWORD',
] as const;

/**
 * The RabbitMQ node `./paved test` started (rabbitmq_up in scripts/lib/rabbitmq.sh)
 * and exported as PAVED_TEST_RABBITMQ_*. Throws (the test fails, never skips) when
 * there is none. The node is shared by every test file of the run: use unique names.
 */
export function requireTestRabbitmq(
  env: NodeJS.ProcessEnv = process.env,
): TestRabbitmq {
  const vars = requiredServerVariables(
    env,
    'RabbitMQ node',
    VARIABLES,
    'rabbitmq_up (scripts/lib/rabbitmq.sh)',
  );
  return {
    managementUrl: urlFrom(
      'PAVED_TEST_RABBITMQ_MANAGEMENT_URL',
      vars.PAVED_TEST_RABBITMQ_MANAGEMENT_URL,
    ),
    // The node listens on loopback only (scripts/lib/rabbitmq.sh).
    amqpHost: '127.0.0.1',
    amqpPort: portFrom(
      'PAVED_TEST_RABBITMQ_AMQP_PORT',
      vars.PAVED_TEST_RABBITMQ_AMQP_PORT,
    ),
    user: vars.PAVED_TEST_RABBITMQ_USER,
    password: vars.PAVED_TEST_RABBITMQ_PASSWORD,
  };
}
