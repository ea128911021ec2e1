/*
 * The local identity provider as a process, for `./paved start` (scripts/lib/portal.sh):
 *
 *   PAVED_IDP_PORT=<port> PAVED_IDP_CLIENT_SECRET=<secret> \
 *   PAVED_IDP_REDIRECT_URIS=<url>[,<url>...] [PAVED_IDP_ORG_DIR=<dir>] \
 *   node --require @backstage/cli-node/config/nodeTransform.cjs packages/local-idp/src/main.ts
 *
 * Prints `Local identity provider ready at <issuer>` once it answers, and stops on
 * SIGTERM or SIGINT. The client secret comes from the environment, never from the
 * command line, so that `ps` does not show it.
 */
import { resolve } from 'node:path';
import { readSampleAccounts } from './accounts';
import {
  LocalIdentityProviderOptions,
  startLocalIdentityProvider,
} from './provider';

/** The portal's client id in the local identity provider. */
export const PORTAL_CLIENT_ID = 'paved-portal';

/** The options from the environment; throws naming the variable that is wrong. */
export function optionsFromEnv(
  env: NodeJS.ProcessEnv,
): LocalIdentityProviderOptions {
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const portText = required('PAVED_IDP_PORT');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new Error(`PAVED_IDP_PORT must be a TCP port, got '${portText}'`);
  }
  const clientSecret = required('PAVED_IDP_CLIENT_SECRET');
  const redirectUris = required('PAVED_IDP_REDIRECT_URIS')
    .split(',')
    .map(uri => uri.trim())
    .filter(Boolean);
  // ./paved start passes the sample organisation's absolute path; without it, the
  // default is relative to the repository root (where `./paved` runs).
  const orgDir = env.PAVED_IDP_ORG_DIR?.trim() || undefined;
  return {
    port,
    clients: [{ clientId: PORTAL_CLIENT_ID, clientSecret, redirectUris }],
    accounts: readSampleAccounts(orgDir && resolve(orgDir)),
  };
}

async function main() {
  const options = optionsFromEnv(process.env);
  const idp = await startLocalIdentityProvider(options);
  process.stdout.write(
    `Local identity provider ready at ${idp.issuer} (${options.accounts.length} accounts)\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    idp.stop().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`local-idp: stopping failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`local-idp: ${error.message}\n`);
    process.exit(2);
  });
}
