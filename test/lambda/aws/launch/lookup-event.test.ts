import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import type { Clock } from '../../../../lambda/aws/launch/lookup-event';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';
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
