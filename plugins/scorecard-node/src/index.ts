/**
 * The extension points through which modules add fact providers and check types
 * to the scorecard.
 *
 * @packageDocumentation
 */
export * from './CheckType';
export * from './FactProvider';
export * from './extensions';
