/**
 * The home region's handlers on events of other regions, as the home bus receives them (forwarded unchanged, with
 * their own `region`) and as the multi-region trail's log group delivers them, against the emulated account: EC2
 * in the region of the call, the alert topic, and the idempotency table the launch evaluator and the notifier share.
 * The emulator runs no Lambda code, so the notifier invocations the evaluator makes are captured and delivered to the
 * notifier's handler here, as Lambda's asynchronous invocation would.
 */
import { gzipSync } from 'zlib';
import {
  DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand, RunInstancesCommand, StartInstancesCommand,
} from '@aws-sdk/client-ec2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as notifierHandler } from '../../../lambda/notifier.lambda';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../fixtures/documented-cloudtrail';
import { documentedFinding, guardDutyEvent } from '../../fixtures/documented-findings';
import { readJsonLines } from '../../fixtures/real-events';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { LaunchHandler, launchHandlerWith } from '../../harness/launch-handler';
import { createAlertTopic, createIdempotencyTable, motoClientConfig, receiveAll, SnsEnvelope, TopicInbox, uniqueName } from '../../harness/moto';

const HOME = 'us-east-1';
const NOTIFIER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Guard-AlertsNotifierFunction-ABC';

/** The notifier as Lambda runs it, with an invocation's context. */
const notifier = (event: unknown) => notifierHandler(event, { getRemainingTimeInMillis: () => 30_000 } as Context);

/** The notifier invocations the launch evaluator made, not yet delivered. */
const lambda = mockClient(LambdaClient);
let invocations: unknown[] = [];

/** Delivers the evaluator's invocations to the notifier, as Lambda runs an asynchronous invocation: after it returned. */
async function deliverInvocations(): Promise<void> {
  const queued = invocations;
  invocations = [];
  for (const event of queued) await notifier(event);
}

/** A CloudWatch Logs subscription delivery of the records, each a log event's message, gzipped and base64-encoded. */
function logsDelivery(records: object[]): object {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: 'MiningGuard-AuditTrailLogs',
    logStream: '123456789012_CloudTrail_us-east-1',
    subscriptionFilters: ['MiningGuard-LaunchWatchEveryRegion'],
    logEvents: records.map((r, i) => ({ id: String(i), timestamp: Date.now(), message: JSON.stringify(r) })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

/** Each test acts as a principal and event of its own, so storm control and idempotency keep tests apart. */
const attacker = () => `arn:aws:iam::123456789012:user/${uniqueName('attacker')}`;

let inbox: TopicInbox;
let evaluator: LaunchHandler;

beforeAll(async () => {
  const { topicArn, inbox: subscribed } = await createAlertTopic();
  inbox = subscribed;
  const table = await createIdempotencyTable();
  // What LaunchWatch and TamperWatch give the two functions: one table, the notifier's ARN, the guarded regions.
  emulatedHandlerEnvironment({
    AWS_REGION: HOME,
    ALERT_TOPIC_ARN: topicArn,
    IDEMPOTENCY_TABLE: table,
    NOTIFIER_FUNCTION: NOTIFIER_ARN,
    GUARD_CONTEXT: JSON.stringify({ deployPrincipals: [], guardNamePrefixes: ['Guard-'], guardArns: [], trailBuckets: [], guardedRegions: [HOME, 'sa-east-1'] }),
  });
  evaluator = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });
});

beforeEach(() => {
  invocations = [];
  lambda.reset();
  lambda.on(InvokeCommand).callsFake((input) => {
    expect(input).toMatchObject({ FunctionName: NOTIFIER_ARN, InvocationType: 'Event' });
    invocations.push(JSON.parse(Buffer.from(input.Payload).toString('utf8')));
    return { StatusCode: 202 };
  });
});

function expectLinksTo(alert: SnsEnvelope, region: string): void {
  const links = [...alert.Message.matchAll(/https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\/[^\s"\\]*/g)].map((m) => m[0]);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(link).toMatch(new RegExp(`^https://${region}\\.console\\.aws\\.amazon\\.com/.*region=${region}`));
}

describe('a GPU launch in sa-east-1', () => {
  const ec2 = (region: string) => new EC2Client(motoClientConfig(region));

  async function launchProtected(region: string): Promise<string> {
    const out = await ec2(region).send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 'p3.2xlarge', MinCount: 1, MaxCount: 1 }));
    const id = out.Instances![0].InstanceId!;
    await ec2(region).send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }));
    await ec2(region).send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: true } }));
    return id;
  }

  const stateOf = async (region: string, id: string) => (await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [id] })))
    .Reservations![0].Instances![0].State!.Name;

  test('forwarded to the home bus: judged, contained in sa-east-1 and nowhere else, alerted once; again through the log group, neither', async () => {
    // GIVEN a p3.2xlarge the attacker launched and protected in sa-east-1, and a bystander instance in the home region
    const id = await launchProtected('sa-east-1');
    const bystander = await launchProtected(HOME);
    const record = runInstances('p3.2xlarge', 1, [id], { region: 'sa-east-1', principalArn: attacker(), eventId: uniqueName('launch') });
    const forwarded = eventBridgeEvent(record);
    expect(forwarded).toMatchObject({ region: 'sa-east-1', detail: { awsRegion: 'sa-east-1' } });

    // WHEN the home region's rule delivers it, unchanged
    const first = await evaluator(forwarded);

    // THEN it is judged and contained where it runs
    expect(first.outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(await stateOf('sa-east-1', id)).toBe('stopped');
    const stop = await ec2('sa-east-1').send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiStop' }));
    expect(stop.DisableApiStop?.Value).toBe(false);
    // and nothing is done in the home region
    expect(await stateOf(HOME, bystander)).toBe('running');
    const tagged = await ec2(HOME).send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:mining-guard:event-id', Values: [record.eventID as string] }] }));
    expect(tagged.Reservations ?? []).toEqual([]);
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toMatch(/^\[MiningGuard\]\[HIGH\] 1 x p3\.2xlarge launched in sa-east-1 by user\/attacker-\w+ /);
    expectLinksTo(alert, 'sa-east-1');

    // WHEN the instance runs again and the same record arrives minutes later through the trail's log group
    await ec2('sa-east-1').send(new StartInstancesCommand({ InstanceIds: [id] }));
    const again = await evaluator(logsDelivery([record]));

    // THEN it is neither alerted nor contained a second time
    expect(again.outcomes.map((o) => o.result)).toEqual(['duplicate']);
    expect(await stateOf('sa-east-1', id)).toBe('running');
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toEqual([]);
    expect(lambda.calls()).toHaveLength(0);
  });
});

describe('tamper calls and findings from ap-southeast-1', () => {
  test('StopLogging forwarded to the home bus gives one alert naming ap-southeast-1, with console links there; the log group\'s copy none', async () => {
    // GIVEN StopLogging made in ap-southeast-1
    const record = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }, null, {
      region: 'ap-southeast-1', principalArn: attacker(), eventId: uniqueName('stop'),
    });

    // WHEN the home bus delivers it to the notifier, and the trail's log group to the evaluator, which hands it on
    await notifier(eventBridgeEvent(record));
    const handed = await evaluator(logsDelivery([record]));
    await deliverInvocations();

    // THEN
    expect(handed.outcomes.map((o) => o.result)).toEqual(['handed-off']);
    const alerts = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alerts[0].Subject).toMatch(/^\[MiningGuard\]\[CRITICAL\] StopLogging by user\/attacker-\w+ in ap-southeast-1$/);
    expect(alerts[0].Message).toContain('Account 123456789012, region ap-southeast-1');
    expectLinksTo(alerts[0], 'ap-southeast-1');
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toEqual([]);
  });

  test('a CryptoCurrency:EC2/BitcoinTool.B!DNS finding from ap-southeast-1 gives one alert naming it, with console links there', async () => {
    await notifier(guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, 'ap-southeast-1')));
    const [alert, ...more] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(more).toEqual([]);
    expect(alert.Subject).toMatch(/ in ap-southeast-1$/);
    expect(alert.Subject).toContain('BitcoinTool.B!DNS');
    expect(alert.Message).toContain('region ap-southeast-1');
    expectLinksTo(alert, 'ap-southeast-1');
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toEqual([]);
  });
});

describe('tamper and credential calls the trail\'s log group alone brings', () => {
  test('the real Stratus StopLogging, in the log group only: handed to the notifier and alerted', async () => {
    // GIVEN the real record of a region where no part of the guard runs (Stratus writes made-up region names)
    const record = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl').find((r) => r.eventName === 'StopLogging')!;

    // WHEN
    await evaluator(logsDelivery([record]));
    await deliverInvocations();

    // THEN
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toBe(`[MiningGuard][CRITICAL] StopLogging by user/christophe in ${record.awsRegion as string}`);
    expect(alert.MessageAttributes?.detection.Value).toBe('cloudtrail-tampering');
  });

  test('through both paths, log group first: alerted once', async () => {
    const record = cloudTrailRecord('guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'abc' }, null, {
      region: 'ap-southeast-1', principalArn: attacker(), eventId: uniqueName('detector'),
    });
    await evaluator(logsDelivery([record]));
    await deliverInvocations();
    await notifier(eventBridgeEvent(record));
    await expect(receiveAll(inbox.queueUrl, { expected: 1 })).resolves.toHaveLength(1);
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toEqual([]);
  });

  test('EnableRegion, which reaches EventBridge in us-east-1 only: the alert says the guard has no regional part in the region yet', async () => {
    const record = cloudTrailRecord('account.amazonaws.com', 'EnableRegion', { regionName: 'af-south-1' }, null, {
      region: HOME, principalArn: attacker(), eventId: uniqueName('region'),
    });
    await evaluator(logsDelivery([record]));
    await deliverInvocations();
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toMatch(/^\[MiningGuard\]\[MEDIUM\] EnableRegion af-south-1 by user\/attacker-\w+ in us-east-1$/);
    expect(alert.Message).toContain('af-south-1 was enabled, and MiningGuard has no regional part there yet: no GuardDuty detector, no vCPU alarms, no seconds-fast path.');
    expect(alert.Message).toContain('add \'af-south-1\' to everyRegion.regions of MiningGuard and deploy');
  });
});
