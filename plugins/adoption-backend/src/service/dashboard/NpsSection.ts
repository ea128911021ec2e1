import { DashboardStore } from '../../database/DashboardStore';
import { monthOf } from '../../days';
import { npsOf, shown } from '../aggregate';
import { DashboardQuery, DashboardScope } from './DashboardScope';

/** The Net Promoter Score of the portal survey, its monthly trend and comments. */
export class NpsSection {
  constructor(
    private readonly deps: { store: DashboardStore; scope: DashboardScope },
  ) {}

  async read(query: DashboardQuery) {
    const { store, scope } = this.deps;
    const min = scope.min;
    const answers = await store.surveyAnswers(query.fromDay, query.toDay);
    const overall = npsOf(answers.map(a => a.score));
    const months = new Map<string, number[]>();
    for (const answer of answers) {
      const month = monthOf(answer.day);
      // Appended in place: copying the month's list per answer was quadratic.
      const scores = months.get(month);
      if (scores) scores.push(answer.score);
      else months.set(month, [answer.score]);
    }
    const enough = overall.responses >= min;
    return {
      ...scope.header(query),
      ...overall,
      score: enough ? overall.score : null,
      trend: [...months.entries()].sort().map(([month, scores]) => {
        const nps = npsOf(scores);
        return {
          month,
          responses: nps.responses,
          score: shown(nps.score ?? 0, nps.responses, min),
        };
      }),
      // Without who wrote them or when (to the day), newest month first.
      comments: enough
        ? answers
            .filter(a => a.comment)
            .reverse()
            .map(a => ({
              month: monthOf(a.day),
              score: a.score,
              comment: a.comment!,
            }))
        : [],
    };
  }
}
