import { ConflictError } from '@backstage/errors';
import { parseInput } from '@paved/backend-plugin-utils';
import { z } from 'zod';
import { SurveyStore } from '../database/SurveyStore';
import { Pseudonymizer } from './Pseudonymizer';

const responseSchema = z.strictObject({
  score: z.number().int().min(0).max(10),
  comment: z.string().trim().max(2000).optional(),
});

/**
 * The NPS survey: shown to a person at most once per period since their last
 * answer or dismissal; one answer per period.
 */
export class SurveyService {
  constructor(
    private readonly deps: {
      store: SurveyStore;
      people: Pseudonymizer;
      periodMs: number;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  async status(userRef: string) {
    const { response, dismissal } = await this.deps.store.lastEntries(
      this.deps.people.of(userRef),
    );
    const last = [response, dismissal]
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    const nextAt = last
      ? new Date(last.getTime() + this.deps.periodMs)
      : undefined;
    return {
      show: !nextAt || nextAt <= this.now(),
      lastResponseAt: response?.toISOString() ?? null,
      lastDismissalAt: dismissal?.toISOString() ?? null,
      nextSurveyAt: nextAt?.toISOString() ?? null,
    };
  }

  async respond(userRef: string, body: unknown) {
    const { score, comment } = parseInput(responseSchema, body, 'response');
    const at = this.now();
    const added = await this.deps.store.addResponse(
      this.deps.people.of(userRef),
      {
        score,
        comment: comment || undefined,
        at,
      },
      new Date(at.getTime() - this.deps.periodMs),
    );
    if (!added) {
      throw new ConflictError(
        `You already answered the survey in the last ${Math.round(
          this.deps.periodMs / 86_400_000,
        )} days`,
      );
    }
    return { score, recordedAt: at.toISOString() };
  }

  async dismiss(userRef: string) {
    const at = this.now();
    await this.deps.store.addDismissal(this.deps.people.of(userRef), at);
    return { dismissedAt: at.toISOString() };
  }
}
