/**
 * Runs work once per CloudTrail eventID across invocations and delivery paths: Powertools idempotency on DynamoDB.
 * A table that cannot be reached never blocks the work: it runs anyway, and is told that duplicates were not suppressed.
 */

import type { Context } from 'aws-lambda';
import { errorText } from '../clients/error-text';

/** What the work is told: whether a second delivery of the event would be recognised. */
export interface OnceState {
  readonly suppressed: boolean;
  /** Why the table could not be reached, when it could not: a person should know duplicates may follow. */
  readonly reason?: string;
}

type Work = (state: OnceState) => Promise<void>;
type Once = (eventId: string, work: Work, lambdaContext?: Context) => Promise<boolean>;

const SUPPRESSED: OnceState = { suppressed: true };

/** One persistence store per table and handler: a store's key prefix is its own, whatever runs beside it. */
const stores = new Map<string, Promise<Once>>();

async function createOnce(tableName: string, keyPrefix: string): Promise<Once> {
  const { makeIdempotent, IdempotencyConfig } = await import('@aws-lambda-powertools/idempotency');
  const { DynamoDBPersistenceLayer } = await import('@aws-lambda-powertools/idempotency/dynamodb');
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName });
  // A day covers EventBridge's retries and the log group's delivery delay many times over.
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'eventId', expiresAfterSeconds: 24 * 3600 });
  return async (eventId, work, lambdaContext) => {
    // With the invocation's deadline, an in-progress record of an invocation that timed out expires with it.
    if (lambdaContext) config.registerLambdaContext(lambdaContext);
    let ran = false;
    let finished = false;
    const idempotent = makeIdempotent(async (_: { eventId: string }) => {
      ran = true;
      await work(SUPPRESSED);
      finished = true;
      return { eventId };
    }, { persistenceStore, config, keyPrefix });
    try {
      await idempotent({ eventId });
    } catch (error) {
      // Another invocation is handling the same event right now: it acts and alerts.
      if ((error as Error).name === 'IdempotencyAlreadyInProgressError') return false;
      // The work's own failure is thrown as it is, so the invocation is retried.
      if (ran && !finished) throw error;
      // The work is done, only its record could not be saved: a later delivery may run it again, which is harmless.
      if (finished) return true;
      if ((error as Error).name !== 'IdempotencyPersistenceLayerError') throw error;
      // The table cannot be reached: every step is idempotent, so act anyway rather than not at all.
      const cause = (error as { cause?: unknown }).cause ?? error;
      await work({ suppressed: false, reason: errorText(cause) });
      return true;
    }
    return ran;
  };
}

/**
 * Runs `work` unless it already ran (or is running) for this event; returns whether it ran now. Without a table every
 * call runs; with a table that cannot be reached, the work runs too and its state says duplicates were not suppressed. `keyPrefix` names the handler: the launch evaluator and the notifier share a table, and each acts once
 * per event on its own, so their records must never share a key.
 */
export async function onceFor(
  table: string | undefined, keyPrefix: string, eventId: string, work: Work, lambdaContext?: Context,
): Promise<boolean> {
  if (!table) {
    await work({ suppressed: false });
    return true;
  }
  const key = `${table}\n${keyPrefix}`;
  if (!stores.has(key)) stores.set(key, createOnce(table, keyPrefix));
  return (await stores.get(key)!)(eventId, work, lambdaContext);
}
