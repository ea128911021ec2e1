export { applyRendered, RENDERED_KINDS } from './applyRendered';
export type {
  ApplyRenderedOptions,
  ApplyRenderedResult,
} from './applyRendered';
export { waitForRollout } from './waitForRollout';
export type { WaitForRolloutOptions } from './waitForRollout';
export { RolloutFailedError } from './RolloutFailedError';
