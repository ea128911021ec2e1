/**
 * Shared helpers for Paved's tests.
 *
 * @packageDocumentation
 */
export { testDatabaseIds } from './testDatabaseIds';
export { waitFor } from './waitFor';
