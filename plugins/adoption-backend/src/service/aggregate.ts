/** A figure over fewer than `minimum` distinct people is not shown: null. */
export function shown(value: number, people: number, minimum: number) {
  return people >= minimum ? value : null;
}

/** The median of some numbers; undefined for none. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Net Promoter Score: % promoters (9–10) − % detractors (0–6), rounded. */
export function npsOf(scores: number[]) {
  const promoters = scores.filter(s => s >= 9).length;
  const detractors = scores.filter(s => s <= 6).length;
  return {
    responses: scores.length,
    promoters,
    passives: scores.length - promoters - detractors,
    detractors,
    score:
      scores.length === 0
        ? null
        : Math.round(((promoters - detractors) / scores.length) * 100),
  };
}
