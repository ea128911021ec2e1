/**
 * The adoption dashboard's backend plugin.
 *
 * @packageDocumentation
 */
export { adoptionPlugin as default } from './plugin';
