/**
 * The doctor's AWS calls: each reads one part of the deployed guard and hands the answer to its judge
 * (lambda/core/doctor). A call that fails (access denied, throttled after the SDK's retries) is a failed check naming
 * the permission, never a crash.
 */
import { DescribeBudgetsCommand, DescribeNotificationsForBudgetCommand, DescribeSubscribersForNotificationCommand } from '@aws-sdk/client-budgets';
import { GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import { GetAnomalyMonitorsCommand, GetAnomalySubscriptionsCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand } from '@aws-sdk/client-guardduty';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic, Subscription } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DoctorClients } from './doctor-clients';
import type { FoundGuard } from './find-guard';
import { adoptedTopicOf, judgeRoleKeyGrant, roleGrantsOf } from '../../core/doctor/adopted-topic';
import { judgeAlarms } from '../../core/doctor/alarms';
import { judgeAnomalyMonitor } from '../../core/doctor/anomaly';
import { BudgetNotification, judgeBudget } from '../../core/doctor/budget-checks';
import { callFailed, Check, fail, skip } from '../../core/doctor/check';
import { judgeDetector } from '../../core/doctor/detector-checks';
import { ERROR_WINDOW_HOURS, judgeDeadLetterQueue, judgeFunctionErrors } from '../../core/doctor/functions';
import { GuardResources, ruleNameOf } from '../../core/doctor/guard-resources';
import { judgeConfigRecorder } from '../../core/doctor/recorder-checks';
import { judgeRule } from '../../core/doctor/rules';
import { judgeSubscriptions } from '../../core/doctor/subscriptions';
import { isAwsManagedSnsKey, judgeTopicKey, KEY_ACTIONS_TO_PUBLISH } from '../../core/doctor/topic-key';
import { judgeTrail } from '../../core/doctor/trail';

/** Runs `read`, or reports its failure as a failed check naming the permission. */
async function guarded(name: string, permission: string, read: () => Promise<Check[]>): Promise<Check[]> {
  try {
    return await read();
  } catch (error) {
    return [callFailed(name, permission, error)];
  }
}

/** The topic's subscriptions, each confirmed. */
function subscriptionChecks(clients: DoctorClients, topicArn: string): Promise<Check[]> {
  return guarded(`subscriptions of ${topicArn}`, 'sns:ListSubscriptionsByTopic', async () => {
    const subscriptions: Subscription[] = [];
    const pages = paginateListSubscriptionsByTopic({ client: clients.sns }, { TopicArn: topicArn });
    for await (const page of pages) subscriptions.push(...(page.Subscriptions ?? []));
    return judgeSubscriptions(topicArn, subscriptions);
  });
}

/** The alert topics' subscriptions, and their keys usable by every service that publishes to them. */
export async function topicChecks(clients: DoctorClients, topicArns: readonly string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const topicArn of topicArns) {
    checks.push(...await subscriptionChecks(clients, topicArn));
    checks.push(...await guarded(`alert topic key of ${topicArn}`, 'sns:GetTopicAttributes, kms:DescribeKey and kms:GetKeyPolicy', async () => {
      const attributes = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes ?? {};
      const keyId = attributes.KmsMasterKeyId;
      if (!keyId || /alias\/aws\/sns$/.test(keyId)) return judgeTopicKey(topicArn, keyId, undefined);
      const keyArn = (await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Arn ?? keyId;
      const policy = await clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
      return judgeTopicKey(topicArn, keyId, policy.Policy);
    }));
  }
  return checks;
}

/**
 * The alert topic the guard adopted (`alertTopic`), which is no resource of the stack: its subscriptions, and its key
 * usable by every publisher the template has publish to it (the alerting functions' roles, and any service a resource
 * of the stack points at it), each role granted the key's use by its own policy.
 */
export async function adoptedTopicChecks(clients: DoctorClients, guard: FoundGuard): Promise<Check[]> {
  const adopted = adoptedTopicOf(guard.template, guard.values);
  if (!adopted) return [];
  const topicArn = adopted.topicArn;
  if (!topicArn) {
    return [skip('adopted alert topic', 'the guard\'s functions name the topic with what only deployment knows: check its subscriptions and key with '
      + 'aws sns list-subscriptions-by-topic and aws sns get-topic-attributes on the ALERT_TOPIC_ARN of the notifier\'s environment')];
  }
  const roles = adopted.roles.flatMap(({ roleLogicalId }) => {
    const role = guard.resources.roles.find((r) => r.logicalId === roleLogicalId);
    return role ? [{ roleLogicalId, arn: `arn:${guard.values.partition ?? 'aws'}:iam::${guard.account ?? guard.values.account}:role/${role.physicalId}` }] : [];
  });
  const publishers = [...roles.map((r) => r.arn), ...adopted.services];
  const checks = await subscriptionChecks(clients, topicArn);
  checks.push(...await guarded(`alert topic key of ${topicArn}`, 'sns:GetTopicAttributes, kms:DescribeKey and kms:GetKeyPolicy', async () => {
    const keyId = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.KmsMasterKeyId;
    if (!keyId || isAwsManagedSnsKey(keyId)) return judgeTopicKey(topicArn, keyId, undefined, publishers);
    const key = (await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    // The AWS managed key given by its ARN rather than its alias: judged as aws/sns, whose policy nobody can change.
    if (key?.KeyManager === 'AWS') return judgeTopicKey(topicArn, 'alias/aws/sns', undefined, publishers);
    const keyArn = key?.Arn ?? keyId;
    const policy = await clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
    return [
      ...judgeTopicKey(topicArn, keyId, policy.Policy, publishers),
      ...roles.map(({ roleLogicalId, arn }) => judgeRoleKeyGrant(arn, keyArn, Object.fromEntries(KEY_ACTIONS_TO_PUBLISH.map((action) =>
        [action, roleGrantsOf(guard.template, roleLogicalId, action, guard.values)])))),
    ];
  }));
  return checks;
}

/** The trails: logging, multi-region, delivering. */
export async function trailChecks(clients: DoctorClients, trails: readonly string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const trail of trails) {
    checks.push(...await guarded(`trail ${trail}`, 'cloudtrail:GetTrailStatus and cloudtrail:GetTrail', async () => {
      const status = await clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trail }));
      const settings = (await clients.cloudTrail.send(new GetTrailCommand({ Name: trail }))).Trail ?? {};
      return judgeTrail(trail, status, settings);
    }));
  }
  return checks;
}

/** The GuardDuty detectors: enabled, with their features and publishing frequency. */
export async function detectorChecks(clients: DoctorClients, resources: GuardResources): Promise<Check[]> {
  const checks: Check[] = [];
  for (const { physicalId } of resources.detectors) {
    checks.push(...await guarded(`GuardDuty detector ${physicalId}`, 'guardduty:GetDetector', async () =>
      judgeDetector(physicalId, await clients.guardDuty.send(new GetDetectorCommand({ DetectorId: physicalId })), resources.expectedDetector)));
  }
  return checks;
}

/** The guard's EventBridge rules: each ENABLED, with a target. */
export async function ruleChecks(clients: DoctorClients, rules: readonly string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const physicalId of rules) {
    const { name, eventBusName } = ruleNameOf(physicalId);
    checks.push(...await guarded(`rule ${name}`, 'events:DescribeRule and events:ListTargetsByRule', async () => {
      const state = await clients.eventBridge.send(new DescribeRuleCommand({ Name: name, EventBusName: eventBusName }));
      const targets = (await clients.eventBridge.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: eventBusName }))).Targets ?? [];
      return [judgeRule(name, state, targets)];
    }));
  }
  return checks;
}

/** Each function's errors over the window, and each dead-letter queue empty. */
export async function healthChecks(clients: DoctorClients, functions: readonly string[], queueUrls: readonly string[], now: Date): Promise<Check[]> {
  const checks: Check[] = [];
  for (const fn of functions) {
    checks.push(...await guarded(`function ${fn} errors`, 'cloudwatch:GetMetricStatistics', async () => {
      const stats = await clients.cloudWatch.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        StartTime: new Date(now.getTime() - ERROR_WINDOW_HOURS * 3_600_000),
        EndTime: now,
        Period: 3_600,
        Statistics: ['Sum'],
      }));
      return [judgeFunctionErrors(fn, (stats.Datapoints ?? []).map((d) => d.Sum ?? 0))];
    }));
  }
  for (const url of queueUrls) {
    checks.push(...await guarded(`dead-letter queue ${url}`, 'sqs:GetQueueAttributes', async () => {
      const attributes = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return [judgeDeadLetterQueue(url, attributes.Attributes?.ApproximateNumberOfMessages)];
    }));
  }
  return checks;
}

/** The alarms' states. */
export async function alarmChecks(clients: DoctorClients, alarmNames: readonly string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (let i = 0; i < alarmNames.length; i += 100) {
    const names = alarmNames.slice(i, i + 100);
    checks.push(...await guarded('alarms', 'cloudwatch:DescribeAlarms', async () => {
      const answer = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names, MaxRecords: 100 }));
      const found = answer.MetricAlarms ?? [];
      const missing = names.filter((n) => !found.some((a) => a.AlarmName === n)).map((n) => ({ AlarmName: n, StateValue: 'MISSING' }));
      return judgeAlarms([...found, ...missing]);
    }));
  }
  return checks;
}

/** The budgets, each with notifications, each with subscribers. */
export async function budgetChecks(clients: DoctorClients, account: string | undefined, budgetNames: readonly string[]): Promise<Check[]> {
  if (budgetNames.length === 0) return [];
  if (!account) return [skip('budgets', 'the stack\'s account is unknown')];
  const checks: Check[] = [];
  for (const budget of budgetNames) {
    checks.push(...await guarded(`budget ${budget}`,
      'budgets:ViewBudget (DescribeBudgets, DescribeNotificationsForBudget, DescribeSubscribersForNotification)', async () => {
        const budgets = (await clients.budgets.send(new DescribeBudgetsCommand({ AccountId: account, MaxResults: 100 }))).Budgets ?? [];
        if (!budgets.some((b) => b.BudgetName === budget)) {
          return [fail(`budget ${budget}`, 'AWS Budgets does not know it', 'deploy the guard again to restore the budget')];
        }
        const notifications = (await clients.budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId: account, BudgetName: budget })))
          .Notifications ?? [];
        const judged: BudgetNotification[] = [];
        for (const notification of notifications) {
          const subscribers = (await clients.budgets.send(new DescribeSubscribersForNotificationCommand({
            AccountId: account, BudgetName: budget, Notification: notification,
          }))).Subscribers ?? [];
          judged.push({ ...notification, Subscribers: subscribers });
        }
        return judgeBudget(budget, judged);
      }));
  }
  return checks;
}

/** The anomaly monitors and their IMMEDIATE subscriptions. */
export async function anomalyChecks(clients: DoctorClients, monitorArns: readonly string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const arn of monitorArns) {
    checks.push(...await guarded(`anomaly monitor ${arn}`, 'ce:GetAnomalyMonitors and ce:GetAnomalySubscriptions', async () => {
      const monitors = (await clients.costExplorer.send(new GetAnomalyMonitorsCommand({ MonitorArnList: [arn] }))).AnomalyMonitors ?? [];
      const subscriptions = (await clients.costExplorer.send(new GetAnomalySubscriptionsCommand({ MonitorArn: arn }))).AnomalySubscriptions ?? [];
      return judgeAnomalyMonitor(arn, monitors, subscriptions);
    }));
  }
  return checks;
}

/** The Config recorder, when the guard has Config rules. */
export async function configChecks(clients: DoctorClients, configRules: readonly string[]): Promise<Check[]> {
  if (configRules.length === 0) return [];
  return guarded('Config recorder', 'config:DescribeConfigurationRecorderStatus', async () => {
    const answer = await clients.configService.send(new DescribeConfigurationRecorderStatusCommand({}));
    return [judgeConfigRecorder(answer.ConfigurationRecordersStatus ?? [])];
  });
}

/** Every check of the guard, in the order the report prints them. */
export async function doctorChecks(
  clients: DoctorClients, resources: GuardResources, account: string | undefined, now = new Date(),
): Promise<Check[]> {
  const ids = (parts: ReadonlyArray<{ physicalId: string }>) => parts.map((p) => p.physicalId);
  return [
    ...await topicChecks(clients, ids(resources.topics)),
    ...await trailChecks(clients, ids(resources.trails)),
    ...await detectorChecks(clients, resources),
    ...await ruleChecks(clients, ids(resources.rules)),
    ...await healthChecks(clients, ids(resources.functions), ids(resources.queues), now),
    ...await alarmChecks(clients, ids(resources.alarms)),
    ...await budgetChecks(clients, account, ids(resources.budgets)),
    ...await anomalyChecks(clients, ids(resources.anomalyMonitors)),
    ...await configChecks(clients, ids(resources.configRules)),
  ];
}
