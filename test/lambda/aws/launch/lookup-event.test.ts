import { gzipSync } from 'zlib';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeInstanceTypesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { Clock } from '../../../../lambda/aws/launch/lookup-event';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { GUARD_ROLE_ARN, guardContainmentCalls } from '../../../fixtures/guard-calls';
import { readJsonLines } from '../../../fixtures/real-events';
import { mockedHandlerEnvironment } from '../../../harness/handler-environment';
import { launchHandlerWith } from '../../../harness/launch-handler';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

// The emulator has no LookupEvents (moto 5.2.1 implements trails, not event history): CloudTrail's answers are mocked.
const cloudTrail = mockClient(CloudTrailClient);

/** The real launch of i-0dbc91f429e48eeed in us-east-1; STOP, and us-east-1 outside the allowed regions, flag and plan it. */
const LAUNCH = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl').find((r) => r.eventID === '86eac0ac-8521-4126-aa32-a22f2b74d02e')!;
const SETTINGS = resolveLaunchSettings({ computePolicy: { allowedRegions: ['eu-west-1'] }, responses: { 'ec2-instance-launch': 'STOP' } });

function judged(value: unknown): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, SETTINGS, bundledSpec, new Date('2023-07-10T12:00:00Z'));
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

/** A clock that moves only when waited on, and remembers every wait. */
function testClock(): Clock & { waits: number[] } {
  let now = Date.parse('2023-07-10T12:00:00Z');
  const waits: number[] = [];
  return { waits, now: () => now, wait: async (ms) => { waits.push(ms); now += ms; } };
}

/** LookupEvents' answer holding CloudTrail's copy of the record. */
function listed(record: Record<string, unknown>) {
  const event = { EventId: record.eventID as string, EventName: record.eventName as string, EventSource: record.eventSource as string };
  return { Events: [{ ...event, CloudTrailEvent: JSON.stringify(record) }] };
}

const load = () => freshModule(() => import('../../../../lambda/aws/launch/lookup-event'));

beforeAll(() => Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }));
beforeEach(() => cloudTrail.reset());

describe('lookUpEvent', () => {
  test('asks by event ID in the region given, and returns the event', async () => {
    cloudTrail.on(LookupEventsCommand).resolves(listed(LAUNCH));
    const { lookUpEvent } = await load();
    const answer = await lookUpEvent('us-east-1', LAUNCH.eventID as string, testClock());
    expect(answer).toEqual({ kind: 'found', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', cloudTrailEvent: JSON.stringify(LAUNCH) });
    const [call] = cloudTrail.commandCalls(LookupEventsCommand);
    expect(call.args[0].input).toEqual({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: LAUNCH.eventID }], MaxResults: 1 });
    expect(await regionOf(call)).toBe('us-east-1');
  });

  test('no event, or an event of another ID, is not found; a refused call is a failure with its reason', async () => {
    const { lookUpEvent } = await load();
    cloudTrail.on(LookupEventsCommand).resolvesOnce({ Events: [] }).resolvesOnce({ Events: [{ EventId: 'another' }] })
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'));
    const clock = testClock();
    expect(await lookUpEvent('us-east-1', 'x', clock)).toEqual({ kind: 'not-found' });
    expect(await lookUpEvent('us-east-1', 'x', clock)).toEqual({ kind: 'not-found' });
    expect(await lookUpEvent('us-east-1', 'x', clock)).toEqual({ kind: 'failed', reason: 'ThrottlingException: Rate exceeded' });
  });

  test('keeps to two calls a second per region, and does not hold back another region', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { lookUpEvent } = await load();
    const clock = testClock();
    await lookUpEvent('us-east-1', 'a', clock);
    await lookUpEvent('sa-east-1', 'b', clock);
    await lookUpEvent('us-east-1', 'c', clock);
    await lookUpEvent('us-east-1', 'd', clock);
    expect(clock.waits).toEqual([500, 500]);
  });
});

describe('confirmWithCloudTrail', () => {
  test('an event CloudTrail lists only on the third attempt is confirmed, after waiting 5 and 10 seconds', async () => {
    cloudTrail.on(LookupEventsCommand).resolvesOnce({ Events: [] }).resolvesOnce({ Events: [] }).resolves(listed(LAUNCH));
    const { confirmWithCloudTrail } = await load();
    const clock = testClock();
    expect(await confirmWithCloudTrail(judged(LAUNCH).record, clock.now() + 90_000, clock)).toEqual({ confirmed: true });
    expect(clock.waits).toEqual([5_000, 10_000]);
  });

  test('an event never listed is unconfirmed once no attempt fits before the deadline, and says how long it was asked for', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { confirmWithCloudTrail } = await load();
    const clock = testClock();
    const confirmation = await confirmWithCloudTrail(judged(LAUNCH).record, clock.now() + 30_000, clock);
    expect(confirmation).toEqual({
      confirmed: false,
      reason: 'CloudTrail has no event with this ID in us-east-1: the log line may be forged, or CloudTrail has not listed the event yet (it can take 15 minutes); asked 3 times over 15 s',
      retry: true,
    });
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
  });

  test('throttling that outlasts the SDK\'s retries is asked about again, then reported', async () => {
    cloudTrail.on(LookupEventsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { confirmWithCloudTrail } = await load();
    const clock = testClock();
    const confirmation = await confirmWithCloudTrail(judged(LAUNCH).record, clock.now(), clock);
    expect(confirmation).toMatchObject({ confirmed: false, reason: 'CloudTrail could not be asked in us-east-1 (ThrottlingException: Rate exceeded); asked 1 time over 0 s' });
  });

  test('a forged line is refuted at once, without asking again', async () => {
    cloudTrail.on(LookupEventsCommand).resolves(listed(LAUNCH));
    const { confirmWithCloudTrail } = await load();
    const forged = structuredClone(LAUNCH) as { responseElements: { instancesSet: { items: Array<{ instanceId: string }> } } };
    forged.responseElements.instancesSet.items[0].instanceId = 'i-0123456789abcdef0';
    const clock = testClock();
    const confirmation = await confirmWithCloudTrail(judged(forged).record, clock.now() + 90_000, clock);
    expect(confirmation).toMatchObject({ confirmed: false, retry: false, reason: expect.stringContaining('differs from the log line in requestParameters') });
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  test('a line naming no region is not looked up at all', async () => {
    const { confirmWithCloudTrail } = await load();
    const confirmation = await confirmWithCloudTrail(judged({ ...LAUNCH, awsRegion: 'localhost:4566#' }).record, Date.now() + 90_000, testClock());
    expect(confirmation).toMatchObject({ confirmed: false, reason: expect.stringContaining('names no AWS region ("localhost:4566#")') });
    expect(cloudTrail.calls()).toHaveLength(0);
  });
});

describe('permitContainment', () => {
  test('an EventBridge event contains without asking CloudTrail; the same record from the log group is asked about', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { permitContainment } = await load();
    const j = judged(eventBridgeEvent(LAUNCH));
    expect(await permitContainment(j, { unforgeable: true, dryRun: false, remainingMs: 120_000 }, testClock())).toEqual({ contain: true });
    expect(cloudTrail.calls()).toHaveLength(0);

    const clock = testClock();
    const held = await permitContainment(j, { unforgeable: false, dryRun: false, remainingMs: 120_000 }, clock);
    expect(held).toMatchObject({ contain: false, unconfirmed: true, done: [expect.stringMatching(/^Not contained, unconfirmed: CloudTrail has no event with this ID in us-east-1/)] });
    // 120 s less the 45 s kept for containment and the alert: attempts at 0, 5, 15 and 35 s; the next would end at 75 s.
    expect(clock.waits).toEqual([5_000, 10_000, 20_000]);
  });

  test('a dry run is never confirmed: it acts on nothing', async () => {
    const { permitContainment } = await load();
    expect(await permitContainment(judged(LAUNCH), { unforgeable: false, dryRun: true }, testClock())).toEqual({ contain: true });
    expect(cloudTrail.calls()).toHaveLength(0);
  });
});

test('a record left when the invocation has too little time is not asked about, and is held unconfirmed', async () => {
  const { permitContainment } = await load();
  const held = await permitContainment(judged(LAUNCH), { unforgeable: false, dryRun: false, remainingMs: 30_000 }, testClock());
  expect(held).toEqual({
    contain: false,
    unconfirmed: true,
    done: ['Not contained, unconfirmed: the invocation had no time left to ask CloudTrail about this event. Check the event in the CloudTrail console and contain by hand if it is real.'],
  });
  expect(cloudTrail.calls()).toHaveLength(0);
});

describe('through the launch evaluator', () => {
  const sns = mockClient(SNSClient);
  const ec2 = mockClient(EC2Client);
  const pricing = mockClient(PricingClient);
  const STOP = { computePolicy: { allowedRegions: ['eu-west-1'] }, responses: { 'ec2-instance-launch': 'STOP' as const } };

  /** A CloudWatch Logs subscription delivery of these lines, as Lambda receives it. */
  function logsDelivery(records: unknown[]): { awslogs: { data: string } } {
    const logEvents = records.map((r, i) => ({ id: String(i), timestamp: 0, message: JSON.stringify(r) }));
    return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents }))).toString('base64') } };
  }
  const messages = () => sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!).default as string);
  const containmentCalls = () => ec2.calls().filter((c) => !/^Describe/.test((c.args[0] as { constructor: { name: string } }).constructor.name));

  beforeAll(() => {
    mockedHandlerEnvironment();
    process.env.GUARD_ROLE_ARN = GUARD_ROLE_ARN;
  });
  afterAll(() => delete process.env.GUARD_ROLE_ARN);
  beforeEach(() => {
    for (const mock of [sns, ec2, pricing]) mock.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
    // The real launch's instance, running, as EC2 describes it and answers its stop.
    const instance = { InstanceId: 'i-0dbc91f429e48eeed', State: { Name: 'running' as const }, VpcId: 'vpc-06fe1a64761a0f720' };
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance] }] });
    ec2.on(StopInstancesCommand).resolves({ StoppingInstances: [{ InstanceId: instance.InstanceId, CurrentState: { Name: 'stopping' } }] });
    pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
  });

  test('a forged log line that CloudTrail does not confirm contains nothing, and its alert says unconfirmed and why', async () => {
    // GIVEN CloudTrail's real record of the launch, and a line in the log group naming a production instance instead
    cloudTrail.on(LookupEventsCommand).resolves(listed(LAUNCH));
    const forged = structuredClone(LAUNCH) as { responseElements: { instancesSet: { items: Array<{ instanceId: string }> } } };
    forged.responseElements.instancesSet.items[0].instanceId = 'i-0123456789abcdef0';
    // WHEN
    const { outcomes } = await (await launchHandlerWith(STOP))(logsDelivery([forged]));
    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['unconfirmed']);
    expect(containmentCalls()).toEqual([]);
    expect(messages()).toHaveLength(1);
    expect(messages()[0]).toContain('Not contained, unconfirmed: CloudTrail\'s event with this ID in us-east-1 differs from the log line in requestParameters: the log line is forged.');
  });

  test('a log line CloudTrail has no event for contains nothing, and says the line may be forged', async () => {
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { outcomes } = await (await launchHandlerWith(STOP))(logsDelivery([LAUNCH]));
    expect(outcomes.map((o) => o.result)).toEqual(['unconfirmed']);
    expect(containmentCalls()).toEqual([]);
    expect(messages()[0]).toContain('Not contained, unconfirmed: CloudTrail has no event with this ID in us-east-1: the log line may be forged');
  });

  test('the same line, confirmed by CloudTrail, is contained', async () => {
    cloudTrail.on(LookupEventsCommand).resolves(listed(LAUNCH));
    const { outcomes } = await (await launchHandlerWith(STOP))(logsDelivery([LAUNCH]));
    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
    expect(ec2.commandCalls(StopInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds)).toContain('i-0dbc91f429e48eeed');
    expect(messages().join('\n')).not.toContain('unconfirmed');
  });

  test('the real event from EventBridge is contained without asking CloudTrail', async () => {
    await (await launchHandlerWith(STOP))(eventBridgeEvent(LAUNCH));
    expect(cloudTrail.calls()).toHaveLength(0);
    expect(ec2.commandCalls(StopInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds)).toContain('i-0dbc91f429e48eeed');
  });

  test('the guard\'s own containment calls, replayed in a disallowed region from either path, flag nothing', async () => {
    const calls = guardContainmentCalls({ region: 'ap-south-1' });
    const handler = await launchHandlerWith({
      computePolicy: { allowedRegions: ['eu-west-1'] },
      responses: {
        'ec2-instance-launch': 'QUARANTINE',
        'ec2-fleet-request': 'STOP',
        'ec2-instance-protection': 'QUARANTINE',
        'autoscaling-capacity-change': 'STOP',
        'ecs-task-launch': 'STOP',
        'batch-compute-environment-change': 'STOP',
        'sagemaker-compute-launch': 'STOP',
      },
    });
    const results = [
      ...(await Promise.all(calls.map((c) => handler(eventBridgeEvent(c))))).flatMap((r) => r.outcomes),
      ...(await handler(logsDelivery(calls))).outcomes,
    ].map((o) => o.result);
    expect(new Set(results)).toEqual(new Set(['within-policy', 'not-selected']));
    expect(results.filter((r) => r === 'within-policy')).toHaveLength(2 * 6);
    expect(messages()).toEqual([]);
    expect(containmentCalls()).toEqual([]);
    expect(cloudTrail.calls()).toHaveLength(0);
  });
});
