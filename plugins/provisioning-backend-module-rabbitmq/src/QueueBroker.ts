import { NonRetryableError } from '@paved/plugin-provisioning-node';
import {
  deadLetterQueueOf,
  policyNameOf,
  QueueRequestNames,
  vhostMarkerOf,
} from './names';
import {
  PASSWORD_HASHING_ALGORITHM,
  rabbitmqPasswordHash,
} from './passwordHash';
import {
  describeLimits,
  DesiredQueue,
  queuePolicy,
  samePolicy,
} from './policies';
import { Permissions, RabbitmqManagement } from './RabbitmqManagement';

/**
 * What a request's user may do in its own vhost: everything (declare its own
 * exchanges and queues, publish, consume). It has no permission anywhere else, and
 * no tag, so no access to the management API; policies (the limits) need the
 * `policymaker` tag, so it cannot change them.
 */
export const USER_PERMISSIONS: Permissions = {
  configure: '.*',
  write: '.*',
  read: '.*',
};

/** The policies the portal made: `paved-limits-<queue>`. */
const PAVED_POLICY = /^paved-limits-/;

const samePermissions = (a: Permissions, b: Permissions) =>
  a.configure === b.configure && a.write === b.write && a.read === b.read;

/**
 * The objects of queue requests on the broker: a vhost (marked with the request's id
 * in its description), a user, the user's permissions, queues and their policies.
 * Every method converges and may be called again; the `ensure…` methods return a
 * sentence for each thing they had to put back, for `reconcile`.
 */
export class QueueBroker {
  constructor(private readonly management: RabbitmqManagement) {}

  /** Whose the vhost is: this request's, nobody's (absent) or someone else's. */
  async vhostOwner(
    vhost: string,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<'ours' | 'absent' | 'foreign'> {
    const found = await this.management.getVhost(vhost, signal);
    if (!found) {
      return 'absent';
    }
    return found.description === vhostMarkerOf(requestId) ? 'ours' : 'foreign';
  }

  /**
   * Makes the request's vhost unless it exists; one that another request or a person
   * made is never adopted (a NonRetryableError).
   */
  async ensureVhost(
    vhost: string,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<'created' | 'exists'> {
    const owner = await this.vhostOwner(vhost, requestId, signal);
    if (owner === 'foreign') {
      throw new NonRetryableError(
        `Vhost '${vhost}' already exists on the broker and was not made by this request; choose another name`,
      );
    }
    if (owner === 'ours') {
      return 'exists';
    }
    await this.management.putVhost(
      vhost,
      { description: vhostMarkerOf(requestId), tags: ['paved'] },
      signal,
    );
    return 'created';
  }

  /**
   * Refuses (a NonRetryableError) to make the request's user when a user of that name
   * exists and is not the request's: the request's is the one it recorded (output
   * `user`, stored before the user is made, so that an attempt that stopped right
   * after making it finds it), or one with permissions on the request's own vhost and
   * nowhere else. 'absent' when there is no user of that name (unread when
   * `recorded`): the next `setPassword` makes it.
   */
  async claimUser(
    names: QueueRequestNames,
    recorded: boolean,
    signal?: AbortSignal,
  ): Promise<'absent' | 'ours'> {
    if (recorded) {
      return 'ours';
    }
    const user = await this.management.getUser(names.user, signal);
    if (!user) {
      return 'absent';
    }
    const permissions = await this.management.listUserPermissions(
      names.user,
      signal,
    );
    if (permissions.length !== 1 || permissions[0].vhost !== names.vhost) {
      throw new NonRetryableError(
        `User '${names.user}' already exists on the broker and was not made by this request; choose another name`,
      );
    }
    return 'ours';
  }

  async userExists(user: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.management.getUser(user, signal)) !== undefined;
  }

  /** Creates the user, or gives it a new password; never sent, only its hash. */
  async setPassword(
    user: string,
    password: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.management.putUser(
      user,
      {
        passwordHash: rabbitmqPasswordHash(password),
        hashingAlgorithm: PASSWORD_HASHING_ALGORITHM,
        tags: [],
      },
      signal,
    );
  }

  /**
   * The user's permissions as they should be: {@link USER_PERMISSIONS} on its vhost,
   * none on any other, and no tags (a tag such as `administrator` opens the
   * management API). Its password is kept.
   *
   * `known` is what the caller's own calls just made certain, so it is not read
   * again: `noTags` right after `setPassword` (which sets none), `noPermissions`
   * for a user that `setPassword` has just made.
   */
  async ensureAccess(
    names: QueueRequestNames,
    signal?: AbortSignal,
    known: { noTags?: boolean; noPermissions?: boolean } = {},
  ): Promise<string[]> {
    const { management } = this;
    const { vhost, user } = names;
    const corrections: string[] = [];
    const current = known.noPermissions
      ? []
      : await management.listUserPermissions(user, signal);
    const own = current.find(p => p.vhost === vhost);
    if (!own || !samePermissions(own, USER_PERMISSIONS)) {
      await management.putPermissions(vhost, user, USER_PERMISSIONS, signal);
      if (own) {
        corrections.push(
          `Put back the permissions of user '${user}' on vhost '${vhost}' (configure '${own.configure}', write '${own.write}', read '${own.read}' were set by hand)`,
        );
      }
    }
    for (const other of current.filter(p => p.vhost !== vhost)) {
      await management.deletePermissions(other.vhost, user, signal);
      corrections.push(
        `Removed the permissions of user '${user}' on vhost '${other.vhost}', granted by hand: it may use its own vhost only`,
      );
    }
    if (known.noTags) {
      return corrections;
    }
    const found = await management.getUser(user, signal);
    const tags = tagsOf(found?.tags);
    if (found && tags.length > 0) {
      const { password_hash: hash, hashing_algorithm: algorithm } =
        found as unknown as {
          password_hash: string;
          hashing_algorithm: string;
        };
      await management.putUser(
        user,
        { passwordHash: hash, hashingAlgorithm: algorithm, tags: [] },
        signal,
      );
      corrections.push(
        `Removed the tags ${tags.join(
          ', ',
        )} of user '${user}', added by hand: an application user has none`,
      );
    }
    return corrections;
  }

  /**
   * Declares the queues (durable) and their dead-letter queues that are missing;
   * returns a sentence for each one that had gone. `newVhost`: the caller has just
   * made the vhost, which has no queues yet, so they are not listed.
   */
  async ensureQueues(
    vhost: string,
    queues: DesiredQueue[],
    options: {
      signal?: AbortSignal;
      reportMissing: boolean;
      newVhost?: boolean;
    },
  ): Promise<string[]> {
    const existing = new Set(
      options.newVhost
        ? []
        : (await this.management.listQueues(vhost, options.signal)).map(
            queue => queue.name,
          ),
    );
    const wanted = queues.flatMap(queue =>
      queue.deadLetter
        ? [queue.name, deadLetterQueueOf(queue.name)]
        : [queue.name],
    );
    const corrections: string[] = [];
    for (const name of wanted) {
      // A PUT of an existing queue with the same properties changes nothing; the
      // ones that exist are left alone so that an application's own declaration of
      // them (e.g. with other arguments) is not fought over.
      if (existing.has(name)) {
        continue;
      }
      await this.management.putQueue(
        vhost,
        name,
        { durable: true },
        options.signal,
      );
      if (options.reportMissing) {
        corrections.push(
          `Declared queue '${name}' in vhost '${vhost}' again: it had been deleted (its messages are gone)`,
        );
      }
    }
    return corrections;
  }

  /**
   * Applies each queue's policy (its limits and dead-lettering) where it differs from
   * the broker's, and removes the portal's policies of queues that have none now.
   * Returns a sentence for each policy it put back, when `reportDrift`. `newVhost`:
   * the caller has just made the vhost, which has no policies yet, so they are not
   * listed.
   */
  async ensurePolicies(
    vhost: string,
    queues: DesiredQueue[],
    options: { signal?: AbortSignal; reportDrift: boolean; newVhost?: boolean },
  ): Promise<string[]> {
    const { management } = this;
    const { signal } = options;
    const found = new Map(
      options.newVhost
        ? []
        : (await management.listPolicies(vhost, signal)).map(policy => [
            policy.name,
            policy,
          ]),
    );
    const corrections: string[] = [];
    const wantedNames = new Set<string>();
    for (const queue of queues) {
      const name = policyNameOf(queue.name);
      const wanted = queuePolicy(queue);
      const current = found.get(name);
      if (wanted) {
        wantedNames.add(name);
      }
      if (samePolicy(current, wanted)) {
        continue;
      }
      if (wanted) {
        await management.putPolicy(vhost, name, wanted, signal);
      } else {
        await management.deletePolicy(vhost, name, signal);
      }
      if (options.reportDrift) {
        corrections.push(
          `Put back policy '${name}' of queue '${
            queue.name
          }' in vhost '${vhost}' (${describeLimits(queue)}): it had been ${
            current ? 'changed' : 'deleted'
          } by hand`,
        );
      }
    }
    for (const name of found.keys()) {
      if (PAVED_POLICY.test(name) && !wantedNames.has(name)) {
        await management.deletePolicy(vhost, name, signal);
        if (options.reportDrift) {
          corrections.push(
            `Removed policy '${name}' from vhost '${vhost}', made by hand: paved-limits- policies are the portal's, and no queue of the request has limits by that name`,
          );
        }
      }
    }
    return corrections;
  }

  /** Removes every ready message of a queue of the vhost. */
  purge(vhost: string, queue: string, signal?: AbortSignal) {
    return this.management.purgeQueue(vhost, queue, signal);
  }

  /**
   * Deletes the request's vhost (with its queues, permissions and policies) if it is
   * the request's, and its user; both may be gone already.
   */
  async remove(
    names: QueueRequestNames,
    requestId: string,
    options: { userMade: boolean; signal?: AbortSignal },
  ): Promise<{ vhost: string; user: string }> {
    const { signal } = options;
    const owner = await this.vhostOwner(names.vhost, requestId, signal);
    let vhost = owner === 'foreign' ? 'not ours, kept' : 'absent';
    if (owner === 'ours') {
      vhost = await this.management.deleteVhost(names.vhost, signal);
    }
    // Only a user this request made (it recorded `user`): a name refused as someone
    // else's must not lose its user.
    const user = options.userMade
      ? await this.management.deleteUser(names.user, signal)
      : 'never made';
    return { vhost, user };
  }
}

/** Tags as the management API returns them: a list, or a comma-separated string. */
function tagsOf(tags: string[] | string | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? '').split(',');
  return list.map(tag => tag.trim()).filter(Boolean);
}
