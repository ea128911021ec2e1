import fs from 'node:fs';
import { S3Server } from './config';
import { runScriptLib, shellWord } from './scriptLib';

/**
 * An S3 server (versitygw) of its own, through scripts/lib/s3.sh (s3_up,
 * s3_pause/s3_resume, s3_purge), that a test may stop and start again without
 * disturbing the tests that share the run's server. A restart keeps the ports, the
 * data and the accounts.
 */
export class PrivateS3 {
  constructor(readonly dir: string) {}

  private bash(script: string): Promise<string> {
    return runScriptLib(['s3'], `ensure_versitygw\n${script}`, 180_000);
  }

  /** Starts it (initialising on first use) and resolves once it answers ListBuckets. */
  async up(): Promise<S3Server> {
    const out = await this.bash(
      `s3_up ${shellWord(this.dir)}
echo "$PAVED_S3_ENDPOINT $PAVED_S3_ADMIN_ENDPOINT $PAVED_S3_ACCESS_KEY $PAVED_S3_SECRET_FILE"`,
    );
    const [endpoint, adminEndpoint, accessKeyId, secretFile] = out
      .split('\n')
      .pop()!
      .split(' ');
    return {
      endpoint,
      adminEndpoint,
      accessKeyId,
      secretAccessKey: fs.readFileSync(secretFile, 'utf8').trim(),
    };
  }

  /** Stops the server (the ports stop answering); its data stays. */
  async pause(): Promise<void> {
    await this.bash(`s3_pause ${shellWord(this.dir)}`);
  }

  /** Starts it again on the same ports with the same data. */
  async resume(): Promise<void> {
    await this.bash(`s3_resume ${shellWord(this.dir)}`);
  }

  /** Stops it and deletes its folder. */
  async purge(): Promise<void> {
    await this.bash(`s3_purge ${shellWord(this.dir)}`);
  }
}
