/**
 * Hands events to the notifier: one asynchronous Lambda invocation per event, as EventBridge's rule target would
 * make, a few at a time. The Lambda client is created on first use, once per container, with the SDK's adaptive retry,
 * which backs off and retries throttling.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { errorText } from '../clients/error-text';

/** Invocations in flight at once: a thousand calls take seconds, and Lambda's invoke rate is not spent in a burst. */
export const HAND_OFF_CONCURRENCY = 8;

let client: LambdaClient | undefined;

async function lambda(): Promise<{ client: LambdaClient; InvokeCommand: typeof import('@aws-sdk/client-lambda').InvokeCommand }> {
  const { LambdaClient: Client, InvokeCommand } = await import('@aws-sdk/client-lambda');
  client ??= new Client({ retryMode: 'adaptive', maxAttempts: 6 });
  return { client, InvokeCommand };
}

/** Why an event did not reach the notifier; the others did. */
export interface HandOffFailure {
  readonly index: number;
  readonly reason: string;
}

/** Invokes the notifier once per event (`InvocationType: Event`); never throws, and says which events failed and why. */
export async function handToNotifier(functionName: string, events: readonly unknown[]): Promise<HandOffFailure[]> {
  if (events.length === 0) return [];
  const { client: lambdaClient, InvokeCommand } = await lambda();
  const failures: HandOffFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const index = next++;
      try {
        const out = await lambdaClient.send(new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(events[index])),
        }));
        // Lambda accepts an asynchronous invocation with 202; anything else did not queue the event.
        if (out.StatusCode !== 202) failures.push({ index, reason: `Lambda answered ${out.StatusCode ?? 'without a status'}, not 202` });
      } catch (error) {
        failures.push({ index, reason: errorText(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HAND_OFF_CONCURRENCY, events.length) }, worker));
  return failures.sort((a, b) => a.index - b.index);
}
