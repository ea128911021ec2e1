import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (scripts/cluster.sh lives there). */
const ROOT = resolvePackagePath('@paved/provisioning-chaos', '../..');

/**
 * A Kubernetes control plane of its own (scripts/test-cluster.sh), so that a test may
 * stop its API server without disturbing the tests that share the run's cluster.
 * Restarts keep the ports, the CA and the tokens, so kubeconfigs stay valid.
 */
export class PrivateCluster {
  constructor(readonly dir: string) {}

  get adminKubeconfigPath(): string {
    return path.join(this.dir, 'admin.kubeconfig');
  }

  get portalKubeconfigPath(): string {
    return path.join(this.dir, 'portal.kubeconfig');
  }

  private async script(args: string[]): Promise<void> {
    await run(path.join(ROOT, 'scripts', args[0]), args.slice(1), {
      env: { ...process.env, PAVED_CLUSTER_DIR: this.dir },
      timeout: 180_000,
    });
  }

  /** Starts it (again), with etcd's fsync off; resolves once it is ready. */
  async up(): Promise<void> {
    await this.script(['cluster.sh', 'start', '--unsafe-no-fsync']);
  }

  /** SIGKILLs its kube-apiserver only; etcd and the controllers keep running. */
  async killApiServer(): Promise<void> {
    const pid = Number(
      fs.readFileSync(path.join(this.dir, 'run/kube-apiserver.pid'), 'utf8'),
    );
    // Only the process this folder started (its arguments name the folder).
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!args.includes(fs.realpathSync(this.dir))) {
      throw new Error(`pid ${pid} is not the API server of ${this.dir}`);
    }
    process.kill(pid, 'SIGKILL');
    while (fs.existsSync(`/proc/${pid}`)) {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.split(' ')[2] === 'Z') {
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }

  /** Stops everything and deletes the folder. */
  async purge(): Promise<void> {
    await this.script(['test-cluster.sh', 'down', this.dir]);
  }
}
