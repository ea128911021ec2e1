/**
 * A small OpenID Connect provider for `./paved start`, whose accounts are the sample
 * organisation's people. Local use only: no production package depends on it.
 *
 * @packageDocumentation
 */
export { LOCAL_PASSWORD, readSampleAccounts } from './accounts';
export type { LocalAccount } from './accounts';
export { startLocalIdentityProvider } from './provider';
export type {
  LocalClient,
  LocalIdentityProvider,
  LocalIdentityProviderOptions,
} from './provider';
