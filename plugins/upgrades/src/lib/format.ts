import { parseEntityRef } from '@backstage/catalog-model';
import { CampaignTargetState } from '@paved/plugin-upgrades-common';

/** `template:default/typescript-service` → `typescript-service`. */
export function templateName(templateRef: string): string {
  try {
    return parseEntityRef(templateRef, { defaultKind: 'template' }).name;
  } catch {
    return templateRef;
  }
}

export const STATE_LABELS: Record<CampaignTargetState, string> = {
  'not-started': 'Not started',
  proposing: 'Proposing',
  open: 'Open',
  conflicted: 'Conflicted',
  merged: 'Merged',
  closed: 'Closed',
};

const DAY_MS = 86_400_000;

/**
 * Whole days from today to an ISO date (YYYY-MM-DD), counted in UTC so that a
 * deadline reads the same in every time zone: 0 on the day itself, negative after.
 */
export function daysUntil(deadline: string, now = Date.now()): number {
  const today = Math.floor(now / DAY_MS);
  const day = Math.floor(Date.parse(`${deadline}T00:00:00Z`) / DAY_MS);
  return day - today;
}

/** "12 days left", "due today", "3 days overdue". */
export function deadlineText(deadline: string, now = Date.now()): string {
  const days = daysUntil(deadline, now);
  if (Number.isNaN(days)) return deadline;
  if (days === 0) return 'due today';
  const plural = (n: number) => (n === 1 ? 'day' : 'days');
  return days > 0
    ? `${days} ${plural(days)} left`
    : `${-days} ${plural(-days)} overdue`;
}
