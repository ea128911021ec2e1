/**
 * Runs `fn` over `items` with at most `limit` at once, results in the items' order.
 * A campaign opens changes this way: each proposal renders twice and runs git, so
 * opening them all at once would starve the backend, one by one would be slow.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
