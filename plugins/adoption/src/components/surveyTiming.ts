/** Where the start of this browser session in the portal is kept. */
export const SESSION_START_KEY = 'paved.adoption.sessionStart';

/** Minutes into a visit before the survey is offered, unless configured. */
export const DEFAULT_SHOW_AFTER_MINUTES = 5;

/**
 * How long until the survey may be offered in this visit: people are not asked on
 * their first page, only once they have used the portal for a while. The visit
 * starts when this is first called in the browser tab (sessionStorage).
 */
export function msUntilSurveyMayShow(
  showAfterMinutes: number,
  now = Date.now(),
  storage:
    | Pick<Storage, 'getItem' | 'setItem'>
    | undefined = globalThis.sessionStorage,
): number {
  let started = Number(storage?.getItem(SESSION_START_KEY));
  if (!Number.isFinite(started) || started <= 0) {
    started = now;
    storage?.setItem(SESSION_START_KEY, String(now));
  }
  return Math.max(0, started + showAfterMinutes * 60_000 - now);
}
