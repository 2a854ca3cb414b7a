/**
 * The replay judges exactly like the deployed guard: every record of every CloudTrail fixture goes through the
 * deployed handlers, as the trail's log group delivers it (bare, to the launch evaluator, which hands the notifier its
 * calls) and, when a rule selects it, as EventBridge delivers it (to the notifier or the launch evaluator, as the
 * catalog's rules route it), with their AWS clients mocked and nothing contained; and through the replay, in file
 * order. Each record must come out with the same detection and severity on every path, or with none. A record the
 * replay cannot judge is the deployed guard's `unrecognised-event` alert.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { bundledSpec } from '../../lambda/core/launch/bundled-specs';
import { notifierCall } from '../../lambda/core/launch/notifier-calls';
import { Replay } from '../../lambda/core/launch/replay';
import { policyDocumentsIn } from '../../lambda/core/notifier/admin-policy';
import type { PolicyLookup } from '../../lambda/core/notifier/event-reader';
import { handler as launchEvaluator } from '../../lambda/launch-evaluator.lambda';
import { handler as notifier } from '../../lambda/notifier.lambda';
import { classifyCloudTrailEvent, detection, LAUNCH_DETECTIONS, resolveLaunchSettings } from '../../lib/catalog';
import { eventBridgeEvent } from '../fixtures/documented-cloudtrail';
import { readJsonLines } from '../fixtures/real-events';
import { mockedHandlerEnvironment } from '../harness/handler-environment';

/** A customer-managed policy that grants little. */
const HARMLESS_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
/** The customer-managed policies the records judged so far created, as IAM would hold them. */
const createdPolicies = new Map<string, PolicyLookup>();

const sns = mockClient(SNSClient);
const lambda = mockClient(LambdaClient);
const ec2 = mockClient(EC2Client);
const ecs = mockClient(ECSClient);
const pricing = mockClient(PricingClient);
const iam = mockClient(IAMClient);

/** The judging settings both sides read: the defaults, in dry run, so the deployed side contains nothing. */
const SETTINGS = { dryRun: true };

beforeAll(() => {
  mockedHandlerEnvironment();
  process.env.LAUNCH_SETTINGS = JSON.stringify(SETTINGS);
  process.env.NOTIFIER_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:Guard-Notifier';
  delete process.env.GUARD_CONTEXT;
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  // Offline, the replay knows no instance, template or price beyond its bundled table and the logs it read: the
  // deployed side is given none either, and judges with the same bundled figures.
  const unknown = new Error('not known offline');
  for (const command of [DescribeInstanceTypesCommand, DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand]) {
    ec2.on(command).rejects(unknown);
  }
  ecs.on(DescribeTaskDefinitionCommand).rejects(unknown);
  pricing.on(GetProductsCommand).rejects(unknown);
  // IAM answers with the document the records so far created for a policy (what the replay learns from them), and
  // otherwise with one that grants little, which the replay, unable to read the policy, passes too.
  const documentOf = (arn?: string) => {
    const created = arn === undefined ? undefined : createdPolicies.get(arn);
    const document = created && 'document' in created ? created.document : HARMLESS_POLICY;
    return typeof document === 'string' ? document : JSON.stringify(document);
  };
  // A version id per document, so the notifier's cache of documents by version never answers with an older one.
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn?: string }) => ({
    Policy: { DefaultVersionId: `v-${encodeURIComponent(documentOf(input.PolicyArn))}` },
  }));
  iam.on(GetPolicyVersionCommand).callsFake((input: { PolicyArn?: string }) => ({
    PolicyVersion: { Document: encodeURIComponent(documentOf(input.PolicyArn)) },
  }));
});

/** What a person would receive for a call: the detection and severity of its first alert, or nothing. */
type Said = string | undefined;

/** The alerts published since `from`, as `detection/severity`. */
function publishedSince(from: number): Said {
  const first = sns.commandCalls(PublishCommand).slice(from)[0];
  const attributes = first?.args[0].input.MessageAttributes;
  return attributes ? `${attributes.detection.StringValue}/${attributes.severity.StringValue}` : undefined;
}

/** A CloudWatch Logs subscription delivery of records, as Lambda receives it. */
function logsDelivery(...records: unknown[]): { awslogs: { data: string } } {
  const payload = { messageType: 'DATA_MESSAGE', logEvents: records.map((r, i) => ({ id: String(i), timestamp: 0, message: JSON.stringify(r) })) };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

/** The trail's log group: the launch evaluator judges launches and hands the notifier its calls, which it then judges. */
async function throughTheLogGroup(record: Record<string, unknown>): Promise<Said> {
  const from = sns.commandCalls(PublishCommand).length;
  const handed = lambda.commandCalls(InvokeCommand).length;
  await launchEvaluator(logsDelivery(record));
  for (const invoke of lambda.commandCalls(InvokeCommand).slice(handed)) {
    await notifier(JSON.parse(Buffer.from(invoke.args[0].input.Payload as Uint8Array).toString('utf8')));
  }
  return publishedSince(from);
}

/** EventBridge: the catalog's rules send a launch to the launch evaluator and a tamper or credential call to the notifier. */
async function throughEventBridge(record: Record<string, unknown>): Promise<Said> {
  const from = sns.commandCalls(PublishCommand).length;
  const call = notifierCall(record);
  if (call) await notifier('event' in call ? call.event : eventBridgeEvent(record));
  else await launchEvaluator(eventBridgeEvent(record));
  return publishedSince(from);
}

const LAUNCH_IDS = new Set<string>(LAUNCH_DETECTIONS.map((d) => d.id));

/** Whether a rule of the deployed guard selects the record: a launch, or a call the notifier judges. */
function selected(record: Record<string, unknown>): boolean {
  const launch = typeof record.eventSource === 'string' && typeof record.eventName === 'string'
    ? classifyCloudTrailEvent(record.eventSource, record.eventName) : undefined;
  return (launch !== undefined && LAUNCH_IDS.has(launch.id)) || notifierCall(record) !== undefined;
}

const DIR = path.join(__dirname, '../fixtures/cloudtrail');
/** Every file of CloudTrail records among the fixtures; the index and label files beside them hold no records. */
const FILES = fs.readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.jsonl') && !/\.(index|labels)\.jsonl$/.test(f))
  .sort();

const UNREADABLE = `${detection('unrecognised-event').id}/${detection('unrecognised-event').severity}`;

describe('the replay says of every fixture record what the deployed guard says', () => {
  test('the fixtures hold the records this test is about', () => {
    expect(FILES).toEqual(expect.arrayContaining(['attack/stratus_detonation_logs.jsonl', 'benign/invictus_aws_service_background.jsonl']));
  });

  test.each(FILES)('%s', async (file) => {
    // GIVEN
    const records = readJsonLines(path.join('cloudtrail', file));
    let said: Said;
    const replaying = new Replay(
      { settings: resolveLaunchSettings(SETTINGS), specs: bundledSpec },
      (line) => { said = `${line.detection}/${line.severity}`; },
      () => { said = UNREADABLE; },
    );
    const differences: object[] = [];
    const unselected: unknown[] = [];
    // The idempotency table's part: a call already alerted, by any path, is not alerted again.
    const alerted = new Set<unknown>();
    let flagged = 0;
    for (const [index, record] of records.entries()) {
      // WHEN the replay judges the record, in file order
      said = undefined;
      replaying.judge(record);
      const replayed = said;
      if (replayed !== undefined) flagged++;
      if (!selected(record) && replayed === undefined) {
        unselected.push(record);
        continue;
      }
      for (const [arn, document] of policyDocumentsIn([record])) createdPolicies.set(arn, document);
      // AND each path of the deployed guard that the record takes
      const once = (verdict: Said) => (typeof record.eventID === 'string' && alerted.has(record.eventID) ? undefined : verdict);
      const logs = once(await throughTheLogGroup(record));
      const events = selected(record) ? once(await throughEventBridge(record)) : replayed;
      if (logs !== undefined) alerted.add(record.eventID);
      // THEN they say the same
      if (logs !== replayed || events !== replayed) differences.push({ index, eventID: record.eventID, replayed, logs, events });
    }
    expect(differences).toEqual([]);
    expect(flagged).toBe(replaying.summary().flagged + replaying.summary().unreadableRecords);
    // AND the records no rule selects, which only the log group brings, raise nothing in the launch evaluator either
    const published = sns.commandCalls(PublishCommand).length;
    const handed = lambda.commandCalls(InvokeCommand).length;
    for (let i = 0; i < unselected.length; i += 500) await launchEvaluator(logsDelivery(...unselected.slice(i, i + 500)));
    expect([sns.commandCalls(PublishCommand).length, lambda.commandCalls(InvokeCommand).length]).toEqual([published, handed]);
  });
});
