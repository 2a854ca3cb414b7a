/** Runs work once per CloudTrail eventID across invocations and delivery paths: Powertools idempotency on DynamoDB. */

import type { Context } from 'aws-lambda';

type Once = (eventId: string, work: () => Promise<void>, lambdaContext?: Context) => Promise<boolean>;

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
    const idempotent = makeIdempotent(async (_: { eventId: string }) => {
      ran = true;
      await work();
      return { eventId };
    }, { persistenceStore, config, keyPrefix });
    try {
      await idempotent({ eventId });
    } catch (error) {
      // Another invocation is handling the same event right now: it acts and alerts.
      if ((error as Error).name === 'IdempotencyAlreadyInProgressError') return false;
      throw error;
    }
    return ran;
  };
}

/**
 * Runs `work` unless it already ran (or is running) for this event; returns whether it ran now. Without a table every
 * call runs. `keyPrefix` names the handler: the launch evaluator and the notifier share a table, and each acts once
 * per event on its own, so their records must never share a key.
 */
export async function onceFor(
  table: string | undefined, keyPrefix: string, eventId: string, work: () => Promise<void>, lambdaContext?: Context,
): Promise<boolean> {
  if (!table) {
    await work();
    return true;
  }
  const key = `${table}\n${keyPrefix}`;
  if (!stores.has(key)) stores.set(key, createOnce(table, keyPrefix));
  return (await stores.get(key)!)(eventId, work, lambdaContext);
}
