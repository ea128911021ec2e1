import fs from 'node:fs';
import { RabbitmqServer } from './config';
import { runScriptLib, shellWord } from './scriptLib';

/**
 * A RabbitMQ node of its own, through scripts/lib/rabbitmq.sh (rabbitmq_up,
 * rabbitmq_pause/rabbitmq_resume, rabbitmq_purge), that a test may stop and start
 * again without disturbing the tests that share the run's broker. A restart keeps the
 * ports, the data and the administrator, so a backend configured with it reaches it
 * again.
 */
export class PrivateRabbitmq {
  constructor(readonly dir: string) {}

  private bash(script: string): Promise<string> {
    return runScriptLib(['rabbitmq'], `ensure_rabbitmq\n${script}`, 180_000);
  }

  /** Starts it (initialising on first use) and resolves once its management API answers. */
  async up(): Promise<RabbitmqServer> {
    const out = await this.bash(
      `rabbitmq_up ${shellWord(this.dir)}
echo "$PAVED_RABBITMQ_MANAGEMENT_URL $PAVED_RABBITMQ_AMQP_PORT $PAVED_RABBITMQ_USER $PAVED_RABBITMQ_PASSWORD_FILE"`,
    );
    const [managementUrl, amqpPort, user, passwordFile] = out
      .split('\n')
      .pop()!
      .split(' ');
    return {
      managementUrl,
      amqpPort: Number(amqpPort),
      user,
      password: fs.readFileSync(passwordFile, 'utf8').trim(),
    };
  }

  /** Stops the node (connections end, the ports stop answering); its data stays. */
  async pause(): Promise<void> {
    await this.bash(`rabbitmq_pause ${shellWord(this.dir)}`);
  }

  /** Starts it again on the same ports with the same data. */
  async resume(): Promise<void> {
    await this.bash(`rabbitmq_resume ${shellWord(this.dir)}`);
  }

  /** Stops it and deletes its folder. */
  async purge(): Promise<void> {
    await this.bash(`rabbitmq_purge ${shellWord(this.dir)}`);
  }
}
