/** AWS Config calls of the config evaluator: report evaluations in batches, and fetch an oversized configuration item. */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { inBatches } from '../../core/config/batches';
import type { Evaluation } from '../../core/config/evaluate';
import { ConfigurationItem, toConfigurationItem } from '../../core/config/invocation';

type ConfigModule = typeof import('./sdk/config-client');

let client: ConfigServiceClient | undefined;

async function config(): Promise<{ client: ConfigServiceClient; sdk: ConfigModule }> {
  const sdk = await import('./sdk/config-client');
  client ??= new sdk.ConfigServiceClient({ retryMode: 'adaptive', maxAttempts: 5 });
  return { client, sdk };
}

/** What was reported. */
export interface PutOutcome {
  readonly evaluations: number;
  readonly batches: number;
  /** Evaluations Config refused, as `resourceType/resourceId`. */
  readonly failed: string[];
}

/**
 * Reports the evaluations, at most 100 a call, each call with the invocation's result token. In test mode
 * (`ResultToken` `TESTMODE`, from the console's test) Config checks them without recording them.
 */
export async function putEvaluations(resultToken: string, testMode: boolean, evaluations: readonly Evaluation[]): Promise<PutOutcome> {
  const batches = inBatches(evaluations);
  if (batches.length === 0) return { evaluations: 0, batches: 0, failed: [] };
  const { client: configClient, sdk } = await config();
  const failed: string[] = [];
  for (const batch of batches) {
    const out = await configClient.send(new sdk.PutEvaluationsCommand({
      ResultToken: resultToken,
      TestMode: testMode,
      Evaluations: batch.map((e) => ({
        ComplianceResourceType: e.complianceResourceType,
        ComplianceResourceId: e.complianceResourceId,
        ComplianceType: e.complianceType,
        Annotation: e.annotation,
        OrderingTimestamp: new Date(e.orderingTimestamp),
      })),
    }));
    failed.push(...(out.FailedEvaluations ?? []).map((f) => `${f.ComplianceResourceType}/${f.ComplianceResourceId}`));
  }
  return { evaluations: evaluations.length, batches: batches.length, failed };
}

/**
 * The latest configuration item of a resource, for an oversized change notification; undefined when Config no
 * longer has it (`ResourceNotDiscoveredException`: the resource was deleted or is not recorded).
 */
export async function latestConfigurationItem(resourceType: string, resourceId: string): Promise<ConfigurationItem | undefined> {
  const { client: configClient, sdk } = await config();
  try {
    const out = await configClient.send(new sdk.GetResourceConfigHistoryCommand({
      resourceType: resourceType as never,
      resourceId,
      limit: 1,
    }));
    const item = out.configurationItems?.[0];
    return item ? toConfigurationItem(item) : undefined;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotDiscoveredException') return undefined;
    throw error;
  }
}
