import { PostgresTarget } from './config';
import { PostgresNames } from './names';
import { Query } from './pgCatalog';
import { AdminSessions, PgAdminSessions } from './admin/AdminSessions';
import { setConnectionLimit, setPassword } from './admin/loginRoleSettings';
import { listLiveDatabases } from './admin/listLiveDatabases';
import { provisionDatabase } from './admin/provisionDatabase';
import { purgeDatabases } from './admin/purgeDatabases';
import { dropReadAccess, provisionReadAccess } from './admin/readAccessRoles';
import { retireDatabase } from './admin/retireDatabase';

/**
 * One target server, as its admin. Every statement quotes identifiers with
 * `escapeIdentifier` and literals with `escapeLiteral` (utility statements such as
 * CREATE ROLE take no bind parameters); queries bind their values. Objects carry a
 * comment naming the request that made them, and nothing is touched that does not.
 *
 * Each operation lives in `./admin/`, one concept a file; this class gives the
 * rest of the module one object per target to call them on.
 */
export class PostgresAdmin implements AdminSessions {
  private readonly sessions: PgAdminSessions;

  constructor(readonly target: PostgresTarget, ca?: string) {
    this.sessions = new PgAdminSessions(target, ca);
  }

  /** Runs `fn` on a connection of its own to `database` (the admin database by default). */
  session<T>(
    fn: (query: Query) => Promise<T>,
    options: { database?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    return this.sessions.session(fn, options);
  }

  /** See {@link provisionDatabase}. */
  provision(options: {
    names: PostgresNames;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    return provisionDatabase(this, options);
  }

  /** See {@link setPassword}. */
  setPassword(options: {
    role: string;
    requestId: string;
    verifier: string;
    signal?: AbortSignal;
  }): Promise<void> {
    return setPassword(this, options);
  }

  /** See {@link setConnectionLimit}. */
  setConnectionLimit(options: {
    role: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    return setConnectionLimit(this, options);
  }

  /** See {@link provisionReadAccess}. */
  provisionReadAccess(options: {
    role: string;
    readOnlyRole: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    return provisionReadAccess(this, options);
  }

  /** See {@link dropReadAccess}. */
  dropReadAccess(options: {
    role: string;
    requestId: string;
    signal?: AbortSignal;
  }): Promise<'dropped' | 'absent' | 'not-ours'> {
    return dropReadAccess(this, options);
  }

  /** See {@link retireDatabase}. */
  retire(options: {
    names: PostgresNames;
    requestId: string;
    deletedAt: string;
    signal?: AbortSignal;
  }): Promise<{ database: 'retired' | 'absent' }> {
    return retireDatabase(this, options);
  }

  /** See {@link listLiveDatabases}. */
  listLiveDatabases(): Promise<Array<{ database: string; requestId: string }>> {
    return listLiveDatabases(this);
  }

  /** See {@link purgeDatabases}. */
  purge(options: {
    olderThan: Date;
    onError?: (database: string, error: unknown) => void;
  }): Promise<string[]> {
    return purgeDatabases(this, options);
  }
}
