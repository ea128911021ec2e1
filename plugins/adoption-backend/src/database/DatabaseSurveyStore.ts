import { Knex } from 'knex';
import { dayOf } from '../days';
import { SurveyStore } from './SurveyStore';

const toDate = (value: unknown) =>
  value === null || value === undefined ? undefined : new Date(value as string);

/** The NPS survey in the plugin's database. */
export class DatabaseSurveyStore implements SurveyStore {
  static create(options: { knex: Knex }) {
    return new DatabaseSurveyStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async lastEntries(user: string) {
    const rows: Array<{ kind: string; last: unknown }> = await this.knex(
      'adoption_survey',
    )
      .select('kind')
      .max({ last: 'created_at' })
      .where({ user_ref: user })
      .groupBy('kind');
    const last = (kind: string) =>
      toDate(rows.find(row => row.kind === kind)?.last);
    return { response: last('response'), dismissal: last('dismissal') };
  }

  async addResponse(
    user: string,
    answer: { score: number; comment?: string; at: Date },
    notSince: Date,
  ) {
    return this.knex.transaction(async tx => {
      // Serialize one user's answers so two at once cannot both pass the check.
      if (tx.client.config.client === 'pg') {
        await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [user]);
      }
      const recent = await tx('adoption_survey')
        .where({ user_ref: user, kind: 'response' })
        .andWhere('created_at', '>=', notSince)
        .first();
      if (recent) {
        return false;
      }
      await tx('adoption_survey').insert({
        user_ref: user,
        kind: 'response',
        score: answer.score,
        comment: answer.comment ?? null,
        created_at: answer.at,
        day: dayOf(answer.at),
      });
      return true;
    });
  }

  async addDismissal(user: string, at: Date) {
    await this.knex('adoption_survey').insert({
      user_ref: user,
      kind: 'dismissal',
      created_at: at,
      day: dayOf(at),
    });
  }
}
