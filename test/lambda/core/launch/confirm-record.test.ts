import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import {
  compareWithCloudTrail, containmentGate, isAwsServiceEvent, LookupAnswer, nextLookupDelay, unaskable, unconfirmedLine,
} from '../../../../lambda/core/launch/confirm-record';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const INVICTUS = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
/** The real launch of i-0dbc91f429e48eeed (t3.micro, us-east-1), by the Stratus operator. */
const LAUNCH = INVICTUS.find((r) => r.eventID === '86eac0ac-8521-4126-aa32-a22f2b74d02e')!;
/** us-east-1 is not allowed, so the real launch is flagged, and STOP plans to stop its instance. */
const STOP_OUTSIDE_EU = resolveLaunchSettings({ computePolicy: { allowedRegions: ['eu-west-1'] }, responses: { 'ec2-instance-launch': 'STOP' } });
const NOW = new Date('2023-07-10T12:00:00Z');

function judged(value: unknown, settings = STOP_OUTSIDE_EU): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, settings, bundledSpec, NOW);
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

/** What LookupEvents returns for an event: its name, source and the whole record as JSON. */
function found(record: Record<string, unknown>): LookupAnswer {
  return { kind: 'found', eventName: record.eventName as string, eventSource: record.eventSource as string, cloudTrailEvent: JSON.stringify(record) };
}

/** The real launch as an attacker would rewrite it in the log group: same event ID, another instance in the response. */
function forgedToName(instanceId: string): Record<string, unknown> {
  const forged = structuredClone(LAUNCH) as { responseElements: { instancesSet: { items: Array<{ instanceId: string }> } } };
  forged.responseElements.instancesSet.items[0].instanceId = instanceId;
  return forged as unknown as Record<string, unknown>;
}

describe('isAwsServiceEvent', () => {
  test('is true for an EventBridge event of an AWS service, false for a log group delivery or a bare record', () => {
    expect(isAwsServiceEvent(eventBridgeEvent(LAUNCH))).toBe(true);
    expect(isAwsServiceEvent({ awslogs: { data: 'H4sI' } })).toBe(false);
    expect(isAwsServiceEvent(LAUNCH)).toBe(false);
    // A custom source is anyone's to write with PutEvents.
    expect(isAwsServiceEvent({ ...eventBridgeEvent(LAUNCH), source: 'my.aws.ec2' })).toBe(false);
    expect(isAwsServiceEvent({ ...eventBridgeEvent(LAUNCH), detail: 'x' })).toBe(false);
  });
});

describe('containmentGate', () => {
  const j = judged(LAUNCH);

  test('an unforgeable event, a dry run and an empty plan go on; any other record with steps is confirmed first', () => {
    expect(j.plan.actions.length).toBeGreaterThan(0);
    expect(containmentGate(true, j.verdict, j.plan, false)).toEqual({ kind: 'contain' });
    expect(containmentGate(false, j.verdict, j.plan, true)).toEqual({ kind: 'contain' });
    expect(containmentGate(false, j.verdict, { ...j.plan, actions: [] }, false)).toEqual({ kind: 'contain' });
    expect(containmentGate(false, j.verdict, j.plan, false)).toEqual({ kind: 'confirm' });
  });

  test('a call that only undoes is held, from either path, and the alert says why', () => {
    // The real clean-up call of the same run, outside the allowed regions and with STOP on for protection changes.
    const undo = INVICTUS.find((r) => r.eventID === '1bb6c2f9-b96b-485d-92ad-380e4be8b1b1')!;
    const settings = resolveLaunchSettings({ computePolicy: { allowedRegions: ['eu-west-1'] }, responses: { 'ec2-instance-protection': 'STOP' } });
    const u = judged(eventBridgeEvent(undo), settings);
    expect(u.plan.actions).toEqual([]);
    for (const unforgeable of [true, false]) {
      expect(containmentGate(unforgeable, u.verdict, u.plan, false)).toEqual({
        kind: 'hold', done: ['Not contained: it only turns termination protection off, which is no ground for containment.'],
      });
    }
  });
});

describe('unaskable', () => {
  test('a record naming no region, or an event ID CloudTrail does not write, is not looked up', () => {
    const { record } = judged(LAUNCH);
    expect(unaskable(record)).toBeUndefined();
    expect(unaskable({ ...record, region: 'us-east-1.evil.example/x' })).toBe(
      'the log line names no AWS region ("us-east-1.evil.example/x"), so CloudTrail cannot be asked; it may be forged');
    expect(unaskable({ ...record, region: 'x'.repeat(200) })).toContain(`("${'x'.repeat(40)}…")`);
    expect(unaskable({ ...record, eventId: '../../etc' })).toBe('the log line\'s eventID "../../etc" is not a CloudTrail event ID; it may be forged');
  });
});

describe('compareWithCloudTrail', () => {
  const { record } = judged(LAUNCH);

  test('CloudTrail\'s own copy of the real record confirms it', () => {
    expect(compareWithCloudTrail(record, found(LAUNCH))).toEqual({ confirmed: true });
  });

  test('a forged line naming another instance under a real event ID is refuted, and is not asked about again', () => {
    const forged = judged(forgedToName('i-0123456789abcdef0'));
    expect(forged.plan.actions).not.toEqual(judged(LAUNCH).plan.actions);
    expect(compareWithCloudTrail(forged.record, found(LAUNCH))).toEqual({
      confirmed: false,
      reason: 'CloudTrail\'s event with this ID in us-east-1 differs from the log line in requestParameters: the log line is forged',
      retry: false,
    });
  });

  test('a forged line that changes who called (to escape an exemption, say) is refuted', () => {
    const forged = judged({ ...LAUNCH, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123837392027:user/intruder', accountId: '123837392027' } });
    const refuted = compareWithCloudTrail(forged.record, found(LAUNCH));
    expect(refuted).toMatchObject({ confirmed: false, retry: false });
    expect(refuted.confirmed === false && refuted.reason).toContain('differs from the log line in userIdentity');
  });

  test('an answer whose name or source differs from the record it carries is refuted', () => {
    expect(compareWithCloudTrail(record, { ...found(LAUNCH), eventName: 'StartInstances' } as LookupAnswer))
      .toMatchObject({ confirmed: false, reason: expect.stringContaining('differs from the log line in eventName'), retry: false });
    expect(compareWithCloudTrail(record, { ...found(LAUNCH), eventSource: 'ec2.amazonaws.com.evil' } as LookupAnswer))
      .toMatchObject({ confirmed: false, reason: expect.stringContaining('differs from the log line in eventSource'), retry: false });
  });

  test('an event CloudTrail has not listed, or a failed call, may be asked about again', () => {
    expect(compareWithCloudTrail(record, { kind: 'not-found' })).toEqual({
      confirmed: false,
      reason: 'CloudTrail has no event with this ID in us-east-1: the log line may be forged, or CloudTrail has not listed the event yet (it can take 15 minutes)',
      retry: true,
    });
    expect(compareWithCloudTrail(record, { kind: 'failed', reason: 'ThrottlingException: Rate exceeded' })).toEqual({
      confirmed: false, reason: 'CloudTrail could not be asked in us-east-1 (ThrottlingException: Rate exceeded)', retry: true,
    });
  });

  test('an answer without a readable record confirms nothing', () => {
    expect(compareWithCloudTrail(record, { kind: 'found', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', cloudTrailEvent: '{"eventN' }))
      .toMatchObject({ confirmed: false, retry: false });
    expect(compareWithCloudTrail(record, { kind: 'found', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com' }))
      .toMatchObject({ confirmed: false, retry: false });
    expect(compareWithCloudTrail(record, found(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}))))
      .toMatchObject({ confirmed: false, reason: expect.stringContaining('differs from the log line in eventID'), retry: false });
  });
});

describe('asking again', () => {
  test('waits 5, 10, 20 and 40 seconds, and never past the deadline', () => {
    expect([0, 1, 2, 3].map((attempt) => nextLookupDelay(attempt, 0, 1_000_000))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(nextLookupDelay(4, 0, 1_000_000)).toBeUndefined();
    expect(nextLookupDelay(0, 0, 5_000)).toBeUndefined();
    expect(nextLookupDelay(2, 100_000, 115_000)).toBeUndefined();
    expect(nextLookupDelay(2, 100_000, 125_000)).toBe(20_000);
  });

  test('the alert\'s line says the record was not contained, that it is unconfirmed, and why', () => {
    expect(unconfirmedLine('CloudTrail has no event with this ID in us-east-1')).toBe(
      'Not contained, unconfirmed: CloudTrail has no event with this ID in us-east-1. Check the event in the CloudTrail console and contain by hand if it is real.');
  });
});
