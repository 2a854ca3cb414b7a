/** Config evaluator handler: reads a custom-rule invocation, gathers what its checks need, judges, and reports the evaluations. */
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAMES } from '../lib/catalog';
import { latestConfigurationItem, PutOutcome, putEvaluations } from './aws/config/config-service';
import { regionInstances, terminationProtected, vcpusOf } from './aws/config/ec2-instances';
import { instanceLauncher } from './aws/config/instance-launcher';
import { checksFor, ConfigFacts, evaluateInvocation, InstanceFacts, instanceFromItem } from './core/config/evaluate';
import { ConfigurationItem, readInvocation } from './core/config/invocation';
import { readRuleSettings } from './core/config/rule-parameters';

const logger = new Logger({ serviceName: SERVICE_NAMES.configEvaluator });

/** How many instances are read at once in a sweep: EC2 throttles bursts of DescribeInstanceAttribute. */
const SWEEP_CONCURRENCY = 10;

/** `f` over every item, at most `SWEEP_CONCURRENCY` at a time, results in order. */
async function mapInChunks<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += SWEEP_CONCURRENCY) results.push(...await Promise.all(items.slice(i, i + SWEEP_CONCURRENCY).map(f)));
  return results;
}

/** Adds termination protection and the launcher to instances that are still there. */
async function withTerminationFacts(instance: InstanceFacts): Promise<InstanceFacts> {
  if (instance.deleted) return instance;
  const isProtected = await terminationProtected(instance.instanceId);
  if (!isProtected) return { ...instance, terminationProtected: isProtected };
  // Only protected instances need their launcher: the lookup is rate-limited to two calls a second.
  const launcher = await instanceLauncher(instance.instanceId);
  return {
    ...instance,
    terminationProtected: true,
    launchedBy: launcher.arn,
    launchedBySessionIssuer: launcher.sessionIssuerArn,
    launcherUnknownReason: launcher.unknownReason,
  };
}

/** The item an oversized notification names, or a deleted stand-in when Config no longer has it. */
async function fetchItem(resourceType: string, resourceId: string, captureTime?: string): Promise<ConfigurationItem> {
  return await latestConfigurationItem(resourceType, resourceId)
    ?? { resourceType, resourceId, status: 'ResourceDeletedNotRecorded', captureTime, configuration: undefined };
}

export const handler = async (event: unknown): Promise<PutOutcome & { rule: string; testMode: boolean }> => {
  const invocation = readInvocation(event);
  const settings = readRuleSettings(invocation.parameters);
  const checks = checksFor(invocation, settings);
  const region = process.env.AWS_REGION ?? 'us-east-1';
  let facts: ConfigFacts = { region, now: new Date().toISOString() };

  const message = invocation.message;
  if (checks.length > 0 && message.kind === 'scheduled') {
    let instances = await regionInstances(region);
    if (checks.includes('termination-protection')) instances = await mapInChunks(instances, withTerminationFacts);
    const vcpusByType = checks.includes('running-compute') ? await vcpusOf(instances.flatMap((i) => (i.instanceType ? [i.instanceType] : []))) : undefined;
    facts = { ...facts, regionInstances: instances, vcpusByType };
  } else if (checks.length > 0 && (message.kind === 'change' || message.kind === 'oversized')) {
    const item = message.kind === 'change' ? message.item : await fetchItem(message.resourceType, message.resourceId, message.captureTime);
    let changedInstance = item.resourceType === 'AWS::EC2::Instance' ? instanceFromItem(item, region) : undefined;
    if (changedInstance && checks.includes('termination-protection') && !invocation.eventLeftScope) {
      changedInstance = await withTerminationFacts(changedInstance);
    }
    facts = { ...facts, changedItem: item, changedInstance };
  }

  const evaluations = evaluateInvocation(invocation, settings, facts);
  const outcome = await putEvaluations(invocation.resultToken, invocation.testMode, evaluations);
  // Counts, names and the first refused resources: never the invocation's configuration items, which hold user data.
  const { failed, ...counts } = outcome;
  logger.info('Evaluations reported', { rule: invocation.configRuleName, message: message.kind, checks, testMode: invocation.testMode, ...counts, failed: failed.length });
  if (failed.length > 0) logger.warn('Config refused evaluations', { failed: failed.slice(0, 20), count: failed.length });
  return { rule: invocation.configRuleName, testMode: invocation.testMode, ...outcome };
};
