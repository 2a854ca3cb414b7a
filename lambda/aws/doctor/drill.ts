/**
 * `doctor --drill`: sends one labelled drill down each alert path of the deployed guard and times its alert on a
 * temporary queue subscribed to the alert topic. Nothing is contained: the launch record is judged as a dry run, the
 * GuardDuty finding is a sample, the alarm state is set back. What it creates is removed in every case, interrupted too.
 */
import { randomUUID } from 'crypto';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateSampleFindingsCommand } from '@aws-sdk/client-guardduty';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { DoctorClients } from './doctor-clients';
import { callFailed, Check, fail, pass, skip } from '../../core/doctor/check';
import { DRILL_ALARM_REASON_PREFIX, DRILL_LABELS, drillLaunchRecord, drillPathOf, DrillPath } from '../../core/doctor/drill-labels';
import { GuardResources } from '../../core/doctor/guard-resources';

/** The crypto-mining finding type the drill asks GuardDuty for a sample of. */
export const DRILL_FINDING_TYPE = 'CryptoCurrency:EC2/BitcoinTool.B!DNS';

/** How the drill runs. */
export interface DrillOptions {
  /** Aborted on SIGINT or SIGTERM: the drill stops waiting and cleans up. */
  readonly signal?: AbortSignal;
  /** How long to wait for all the alerts, in milliseconds; 5 minutes by default (GuardDuty samples take a minute or two). */
  readonly timeoutMs?: number;
  /** Where progress is written. */
  readonly log?: (text: string) => void;
  /** The account and region the guard is in, for the synthetic launch record. */
  readonly account?: string;
  readonly region?: string;
}

/** What the drill created, to remove. */
interface Created {
  queueUrl?: string;
  subscriptionArn?: string;
  alarmName?: string;
}

/** Removes what the drill created; each step on its own, so one failing leaves none of the others behind. */
async function cleanUp(clients: DoctorClients, created: Created): Promise<Check[]> {
  const checks: Check[] = [];
  const step = async (name: string, permission: string, act: () => Promise<unknown>) => {
    try {
      await act();
      checks.push(pass(name, 'done'));
    } catch (error) {
      checks.push(callFailed(name, permission, error));
    }
  };
  if (created.alarmName) {
    const alarmName = created.alarmName;
    await step(`drill cleanup: alarm ${alarmName} back to OK`, 'cloudwatch:SetAlarmState', () => clients.cloudWatch.send(new SetAlarmStateCommand({
      AlarmName: alarmName, StateValue: 'OK', StateReason: `${DRILL_ALARM_REASON_PREFIX}: set back to OK; CloudWatch evaluates it again at its next period`,
    })));
  }
  if (created.subscriptionArn) {
    const arn = created.subscriptionArn;
    await step('drill cleanup: unsubscribe the drill queue', 'sns:Unsubscribe', () => clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })));
  }
  if (created.queueUrl) {
    const url = created.queueUrl;
    await step('drill cleanup: delete the drill queue', 'sqs:DeleteQueue', () => clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  }
  return checks;
}

/** Creates the queue and subscribes it to the topic, noting each as soon as it exists. */
async function listen(clients: DoctorClients, topicArn: string, id: string, created: Created): Promise<void> {
  const queueName = `mining-guard-drill-${id.slice(0, 8)}`;
  created.queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl;
  const queueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: created.queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
    }],
  });
  await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: created.queueUrl, Attributes: { Policy: policy } }));
  created.subscriptionArn = (await clients.sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, ReturnSubscriptionArn: true,
  }))).SubscriptionArn;
}

/** Starts each path the guard has, returning when each started; a path that cannot start is a failed check. */
async function startPaths(clients: DoctorClients, resources: GuardResources, id: string, options: DrillOptions, created: Created,
  started: Map<DrillPath, number>, checks: Check[]): Promise<void> {
  const detector = resources.detectors[0]?.physicalId;
  if (detector) {
    try {
      await clients.guardDuty.send(new CreateSampleFindingsCommand({ DetectorId: detector, FindingTypes: [DRILL_FINDING_TYPE] }));
      started.set('guardDuty', Date.now());
    } catch (error) {
      checks.push(callFailed('drill guardDuty', 'guardduty:CreateSampleFindings', error));
    }
  } else {checks.push(skip('drill guardDuty', 'the stack has no GuardDuty detector'));}
  const alarm = resources.alarms[0]?.physicalId;
  if (alarm) {
    try {
      created.alarmName = alarm;
      await clients.cloudWatch.send(new SetAlarmStateCommand({
        AlarmName: alarm, StateValue: 'ALARM', StateReason: `${DRILL_ALARM_REASON_PREFIX}: set by mining-guard doctor --drill (${id})`,
      }));
      started.set('alarm', Date.now());
    } catch (error) {
      checks.push(callFailed('drill alarm', 'cloudwatch:SetAlarmState', error));
    }
  } else {checks.push(skip('drill alarm', 'the stack has no alarm'));}
  const evaluator = resources.functions.find((f) => /LaunchEvaluator/.test(f.logicalId))?.physicalId;
  if (evaluator) {
    const account = options.account ?? '000000000000';
    const region = options.region ?? 'us-east-1';
    const now = new Date();
    const event = {
      'version': '0',
      'id': id,
      'detail-type': 'AWS API Call via CloudTrail',
      'source': 'mining-guard.drill',
      'account': account,
      'time': now.toISOString(),
      'region': region,
      'resources': [],
      'detail': drillLaunchRecord(id, account, region, now),
    };
    try {
      const answer = await clients.lambda.send(new InvokeCommand({ FunctionName: evaluator, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
      if (answer.FunctionError) throw new Error(`the launch evaluator failed: ${answer.FunctionError}`);
      started.set('launch', Date.now());
    } catch (error) {
      checks.push(callFailed('drill launch', 'lambda:InvokeFunction', error));
    }
  } else {checks.push(skip('drill launch', 'the stack has no launch evaluator'));}
}

/** Waits on the queue until each started path's alert arrived, the time is up, or the drill is interrupted. */
async function waitForAlerts(
  clients: DoctorClients, queueUrl: string, started: Map<DrillPath, number>, options: DrillOptions,
): Promise<Map<DrillPath, number>> {
  const arrived = new Map<DrillPath, number>();
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  while (arrived.size < started.size && Date.now() < deadline && !options.signal?.aborted) {
    const waitSeconds = Math.max(0, Math.min(5, Math.floor((deadline - Date.now()) / 1000)));
    let answer;
    try {
      answer = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
        { abortSignal: options.signal as never });
    } catch (error) {
      // Interrupted mid-wait: the SDK gives up the call; the drill goes on to clean up.
      if (options.signal?.aborted) break;
      throw error;
    }
    for (const message of answer.Messages ?? []) {
      const path = drillPathOf(message.Body);
      if (path && started.has(path) && !arrived.has(path)) {
        arrived.set(path, Date.now());
        options.log?.(`drill ${path}: alert arrived after ${((Date.now() - started.get(path)!) / 1000).toFixed(1)} s`);
      }
      if (message.ReceiptHandle) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return arrived;
}

/** Runs the drill and returns one check per path (with its latency), then one per cleanup step. */
export async function runDrill(clients: DoctorClients, resources: GuardResources, options: DrillOptions = {}): Promise<Check[]> {
  const topicArn = resources.topics[0]?.physicalId;
  if (!topicArn) return [skip('drill', 'the stack has no alert topic to listen on')];
  const id = randomUUID();
  const created: Created = {};
  const checks: Check[] = [];
  try {
    await listen(clients, topicArn, id, created);
    if (options.signal?.aborted) return checks;
    const started = new Map<DrillPath, number>();
    await startPaths(clients, resources, id, options, created, started, checks);
    if (!created.queueUrl) return checks;
    const arrived = await waitForAlerts(clients, created.queueUrl, started, options);
    for (const [path, at] of started) {
      const got = arrived.get(path);
      checks.push(got !== undefined
        ? pass(`drill ${path}`, `alert "${DRILL_LABELS[path]}" arrived after ${((got - at) / 1000).toFixed(1)} s`)
        : fail(`drill ${path}`, options.signal?.aborted ? 'interrupted before its alert arrived' : 'no alert arrived in time',
          'run the other checks: a disabled rule, a failing function or a key the publisher cannot use stops this path; then read the notifier\'s logs'));
    }
  } catch (error) {
    checks.push(callFailed('drill', 'sqs:CreateQueue, sqs:GetQueueAttributes, sqs:SetQueueAttributes, sns:Subscribe and sqs:ReceiveMessage', error));
  } finally {
    checks.push(...await cleanUp(clients, created));
  }
  return checks;
}
