/** What the spend evaluator remembers between runs: the last figures it saw for each budget, and since when. */
import { isObject, numberAt, stringAt } from '../events/event-fields';

/** The last figures seen for one budget. */
export interface SeenFigures {
  /** Start of the month the figures belong to (ISO). */
  readonly month: string;
  readonly actualUsd: number;
  readonly forecastUsd?: number;
  /** When these figures were first seen (ISO): a refresh that changes nothing does not move it. */
  readonly seenAt: string;
}

/** The evaluator's memory, per budget name. */
export type SpendState = Readonly<Record<string, SeenFigures>>;

/**
 * An empty state without a prototype: budget names are the user's, and a budget named `__proto__` or `constructor`
 * must read and write its own figures, not Object's.
 */
export function emptySpendState(): Record<string, SeenFigures> {
  return Object.create(null) as Record<string, SeenFigures>;
}

/** The state stored as JSON; anything unreadable is forgotten rather than trusted. */
export function parseSpendState(text: string | undefined): SpendState {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '{}');
  } catch {
    return emptySpendState();
  }
  if (!isObject(value)) return emptySpendState();
  const state = emptySpendState();
  for (const [name, seen] of Object.entries(value)) {
    const month = stringAt(seen, 'month');
    const actualUsd = numberAt(seen, 'actualUsd');
    const seenAt = stringAt(seen, 'seenAt');
    if (month && actualUsd !== undefined && seenAt && !Number.isNaN(Date.parse(seenAt))) {
      state[name] = { month, actualUsd, forecastUsd: numberAt(seen, 'forecastUsd'), seenAt };
    }
  }
  return state;
}

export function serializeSpendState(state: SpendState): string {
  return JSON.stringify(state);
}
