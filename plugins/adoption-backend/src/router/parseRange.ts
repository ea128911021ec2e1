import { InputError } from '@backstage/errors';
import { parseInput } from '@paved/backend-plugin-utils';
import { z } from 'zod';
import { dayOf } from '../days';
import { DashboardQuery } from '../service/DashboardService';

const MAX_DAYS = 400;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const querySchema = z.object({
  from: date.optional(),
  to: date.optional(),
  team: z.string().min(1).max(255).optional(),
});

/** `from`, `to` (inclusive days, default: the 30 days to today) and `team`. */
export function parseRange(query: unknown, now = new Date()): DashboardQuery {
  const { from, to, team } = parseInput(querySchema, query, 'query');
  const toDay = to ? dayOf(`${to}T00:00:00Z`) : dayOf(now);
  const fromDay = from ? dayOf(`${from}T00:00:00Z`) : toDay - 29;
  if (Number.isNaN(fromDay) || Number.isNaN(toDay)) {
    throw new InputError(`Invalid query: from/to is not a date`);
  }
  if (fromDay > toDay) {
    throw new InputError(`Invalid query: from (${from}) is after to (${to})`);
  }
  if (toDay - fromDay + 1 > MAX_DAYS) {
    throw new InputError(`Invalid query: at most ${MAX_DAYS} days at once`);
  }
  return { fromDay, toDay, team };
}
