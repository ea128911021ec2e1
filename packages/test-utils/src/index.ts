/**
 * Shared helpers for Paved's tests.
 *
 * @packageDocumentation
 */
export { testDatabaseIds } from './testDatabaseIds';
