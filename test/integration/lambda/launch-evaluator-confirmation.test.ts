/**
 * Only real AWS events contain, against the emulated account: a line of the trail's log group is contained only once
 * CloudTrail's own copy of the event confirms it. The emulator (moto 5.2.1) keeps trails but no event history and has
 * no LookupEvents, so CloudTrail's answers alone are mocked (aws-sdk-client-mock); EC2, DynamoDB, SNS and SQS are the
 * emulator's.
 */
import { randomUUID } from 'crypto';
import { gzipSync } from 'zlib';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgeEvent, runInstances } from '../../fixtures/documented-cloudtrail';
import { GUARD_ROLE_ARN } from '../../fixtures/guard-calls';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { launchHandlerWith } from '../../harness/launch-handler';
import { createAlertTopic, createIdempotencyTable, motoClientConfig, receiveAll, TopicInbox, uniqueName } from '../../harness/moto';

const cloudTrail = mockClient(CloudTrailClient);
const ec2 = () => new EC2Client(motoClientConfig());
const STOP = { responses: { 'ec2-instance-launch': 'STOP' as const } };

let inbox: TopicInbox;

beforeAll(async () => {
  const { topicArn, inbox: subscribed } = await createAlertTopic();
  inbox = subscribed;
  const table = await createIdempotencyTable();
  emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: topicArn, IDEMPOTENCY_TABLE: table, GUARD_ROLE_ARN });
});
beforeEach(() => cloudTrail.reset());
afterAll(() => cloudTrail.restore());

/** A CloudWatch Logs subscription delivery of the lines, as Lambda receives it. */
function logsDelivery(records: object[]): object {
  const logEvents = records.map((r, i) => ({ id: String(i), timestamp: Date.now(), message: JSON.stringify(r) }));
  const payload = { messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: 'trail', logStream: '123456789012_CloudTrail_us-east-1', subscriptionFilters: ['EveryRegion'], logEvents };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

/** A GPU instance with the attacker's stop and termination protection, as in the other evaluator tests. */
async function launchProtected(): Promise<string> {
  const out = await ec2().send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 'p3.2xlarge', MinCount: 1, MaxCount: 1 }));
  const id = out.Instances![0].InstanceId!;
  await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }));
  return id;
}

async function stateOf(id: string): Promise<string | undefined> {
  const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** The launch of `id` as CloudTrail records it, by a principal of its own so that no storm window folds it. */
function launchOf(id: string): Record<string, unknown> {
  return runInstances('p3.2xlarge', 1, [id], { region: 'us-east-1', principalArn: `arn:aws:iam::123456789012:user/${uniqueName('attacker')}`, eventId: randomUUID() });
}

/** LookupEvents' answer holding CloudTrail's copy of the record. */
function listed(record: Record<string, unknown>) {
  const event = { EventId: record.eventID as string, EventName: record.eventName as string, EventSource: record.eventSource as string };
  return { Events: [{ ...event, CloudTrailEvent: JSON.stringify(record) }] };
}

describe('a launch that only the trail\'s log group brings', () => {
  test('forged to name another instance under a real event ID, it contains nothing, and the alert says unconfirmed', async () => {
    // GIVEN an attacker's real launch, and a production instance the forged line names instead
    const attackers = await launchProtected();
    const production = await launchProtected();
    const real = launchOf(attackers);
    const forged = { ...real, responseElements: (launchOf(production) as { responseElements: unknown }).responseElements };
    cloudTrail.on(LookupEventsCommand).resolves(listed(real));

    // WHEN
    const { outcomes } = await (await launchHandlerWith(STOP))(logsDelivery([forged]));

    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['unconfirmed']);
    expect(await stateOf(production)).toBe('running');
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Message).toContain('Not contained, unconfirmed: CloudTrail\'s event with this ID in us-east-1 differs from the log line in requestParameters');
    expect(cloudTrail.commandCalls(LookupEventsCommand)[0].args[0].input.LookupAttributes).toEqual([{ AttributeKey: 'EventId', AttributeValue: real.eventID }]);
  });

  test('confirmed by CloudTrail, it is contained', async () => {
    const id = await launchProtected();
    const record = launchOf(id);
    cloudTrail.on(LookupEventsCommand).resolves(listed(record));

    const { outcomes } = await (await launchHandlerWith(STOP))(logsDelivery([record]));

    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(await stateOf(id)).toMatch(/^(stopping|stopped)$/);
    await receiveAll(inbox.queueUrl, { expected: 2 });
  });

  test('not yet listed by CloudTrail, it is held unconfirmed, and the same event from EventBridge afterwards is still contained', async () => {
    // GIVEN a real launch that CloudTrail does not list yet
    const id = await launchProtected();
    const record = launchOf(id);
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const handler = await launchHandlerWith(STOP);

    // WHEN the log group brings it first, then EventBridge
    const first = await handler(logsDelivery([record]));
    const running = await stateOf(id);
    const second = await handler(eventBridgeEvent(record));

    // THEN the unconfirmed line did not take the event's once-only mark: EventBridge's delivery contained it
    expect(first.outcomes.map((o) => o.result)).toEqual(['unconfirmed']);
    expect(running).toBe('running');
    expect(second.outcomes.map((o) => o.result)).not.toContain('duplicate');
    expect(await stateOf(id)).toMatch(/^(stopping|stopped)$/);
    const alerts = await receiveAll(inbox.queueUrl, { expected: 2 });
    expect(alerts[0].Message).toContain('Not contained, unconfirmed: CloudTrail has no event with this ID in us-east-1');
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });
});
