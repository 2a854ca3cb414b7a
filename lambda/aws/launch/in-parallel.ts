/** Runs calls in parallel with a bound on how many are in flight, and cuts id lists into the batches AWS accepts. */

/** How many containment calls are in flight at once: well within EC2's request token buckets, with the SDK's adaptive retry behind it. */
export const CALLS_IN_FLIGHT = 16;

/** `work` on every item, at most `limit` at a time; the results in the items' order. A rejected call rejects the whole. */
export async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>, limit = CALLS_IN_FLIGHT): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** The items in batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
