/** Splits evaluations into the batches PutEvaluations accepts. */

/** PutEvaluations takes at most 100 evaluations a call. */
export const MAX_EVALUATIONS_PER_CALL = 100;

export function inBatches<T>(items: readonly T[], size: number = MAX_EVALUATIONS_PER_CALL): T[][] {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`a batch holds a whole number of items above 0, not ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
