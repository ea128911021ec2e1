/**
 * The extension point through which modules add fact providers to the scorecard.
 *
 * @packageDocumentation
 */
export * from './FactProvider';
export * from './extensions';
