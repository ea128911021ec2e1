import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A person who can sign in to the local identity provider. */
export interface LocalAccount {
  /** The catalog User's name: the `sub` and `preferred_username` claims. */
  username: string;
  email: string;
  /** Display name: the `name` claim. */
  name: string;
}

/**
 * The one password of every local account. Local use only: the local identity
 * provider never runs in production (packages/local-idp/README.md).
 */
export const LOCAL_PASSWORD = 'paved-local';

/**
 * Every `User` entity in the YAML files of a catalog folder (the sample organisation
 * by default), as accounts of the local identity provider. A User without an e-mail
 * address is refused: the portal's sign-in matches people by e-mail, so it could
 * never sign in.
 */
export function readSampleAccounts(
  orgDir: string = 'examples/org/org',
): LocalAccount[] {
  const dir = resolve(orgDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(
      `cannot read the accounts' folder ${dir}: ${(error as Error).message}`,
    );
  }
  const files = names.filter(file => /\.ya?ml$/.test(file)).sort();
  const accounts: LocalAccount[] = [];
  for (const file of files) {
    const path = join(dir, file);
    for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
      if (document.errors.length > 0) {
        throw new Error(`${path}: ${document.errors[0].message}`);
      }
      const entity = document.toJS();
      if (entity?.kind !== 'User') continue;
      const username = entity.metadata?.name;
      const email = entity.spec?.profile?.email;
      if (typeof username !== 'string' || typeof email !== 'string') {
        throw new Error(
          `${path}: User '${username}' needs metadata.name and spec.profile.email to sign in`,
        );
      }
      if (accounts.some(account => account.username === username)) {
        throw new Error(`${path}: User '${username}' is defined twice`);
      }
      accounts.push({
        username,
        email,
        name: entity.spec.profile.displayName ?? username,
      });
    }
  }
  if (accounts.length === 0) {
    throw new Error(`${dir} holds no User entities to sign in as`);
  }
  return accounts;
}
