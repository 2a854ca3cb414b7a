import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  classifyCloudTrailEvent, cloudTrailSelections, Detection, eventBridgeDetailType, eventBridgeSource, JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS,
} from '../../lib/catalog';
import { cloudTrailPatterns, MAX_EVENT_PATTERN_LENGTH, patternLength } from '../../lib/common/cloudtrail-rules';
import { readJsonLines } from '../fixtures/real-events';
import { matchEvents } from '../harness/event-patterns';
import { motoClientConfig, uniqueName } from '../harness/moto';

const SETS: Array<[string, readonly Detection[]]> = [
  ['launch', LAUNCH_DETECTIONS],
  ['tamper, credential and abuse', JUDGED_CALL_DETECTIONS],
];

type Call = readonly [eventSource: string, eventName: string];

/** How many of the patterns match each call, carried as EventBridge delivers a CloudTrail record, made by an IAM user or `identityType`. */
function rulesReached(patterns: readonly object[], calls: readonly Call[], identityType = 'IAMUser'): number[] {
  const events = calls.map(([eventSource, eventName]) => ({
    'version': '0',
    'id': '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': eventBridgeDetailType(eventSource),
    'source': eventBridgeSource(eventSource),
    'account': '123456789012',
    'time': '2026-11-20T03:12:10Z',
    'region': 'us-east-1',
    'resources': [],
    'detail': { eventVersion: '1.09', userIdentity: { type: identityType }, eventSource, eventName, awsRegion: 'us-east-1' },
  }));
  return matchEvents(patterns, events).map((row) => row.filter(Boolean).length);
}

/** Every (event source, event name) pair the public CloudTrail logs hold. */
function realCalls(): Array<[string, string]> {
  const files = ['attack/invictus_stratus_2023-07-10.jsonl', 'attack/stratus_detonation_logs.jsonl', 'benign/awsdocs_cloudtrail_examples.jsonl',
    'benign/invictus_aws_service_background.jsonl', 'benign/invictus_terraform_setup_teardown.jsonl'];
  const pairs = new Set(files.flatMap((f) => readJsonLines(`cloudtrail/${f}`)).map((r) => `${String(r.eventSource)} ${String(r.eventName)}`));
  return [...pairs].map((p) => p.split(' ') as [string, string]);
}

describe.each(SETS)('the %s rules', (_, detections) => {
  const patterns = cloudTrailPatterns(detections);
  const selections = [...cloudTrailSelections(detections)];

  test('each pattern fits EventBridge\'s pattern length, and the emulated EventBridge takes it as a rule', async () => {
    const events = new EventBridgeClient(motoClientConfig());
    const bus = uniqueName('bus');
    await events.send(new CreateEventBusCommand({ Name: bus }));
    for (const p of patterns) {
      expect(patternLength(p)).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
      await events.send(new PutRuleCommand({ Name: uniqueName('rule'), EventBusName: bus, EventPattern: JSON.stringify(p) }));
    }
  });

  test('every call the catalog selects reaches exactly one rule', () => {
    const calls = selections.flatMap(([eventSource, eventNames]) => eventNames.map((n): Call => [eventSource, n]));
    const reached = rulesReached(patterns, calls);
    expect(calls.filter((_c, i) => reached[i] !== 1)).toEqual([]);
  });

  test('one source\'s event name on another source reaches nothing: the branches do not mix', () => {
    const calls = selections.flatMap(([eventSource]) => selections
      .map(([, otherNames]) => otherNames.find((n) => classifyCloudTrailEvent(eventSource, n) === undefined))
      .filter((n): n is string => n !== undefined)
      .map((n): Call => [eventSource, n]));
    expect(calls.length).toBeGreaterThan(selections.length);
    const reached = rulesReached(patterns, calls);
    expect(calls.filter((_c, i) => reached[i] !== 0)).toEqual([]);
  });

  test('a root call reaches the rules of the detections that watch root, whatever its service and name', () => {
    const watchesRoot = detections.some((d) => d.signal.kind === 'cloudtrail-identity');
    const reached = rulesReached(patterns, [['s3.amazonaws.com', 'PutBucketAcl'], ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress']], 'Root');
    expect(reached).toEqual(watchesRoot ? [1, 1] : [0, 0]);
  });

  test('of the calls in the public CloudTrail logs, exactly the catalog\'s reach a rule', () => {
    const calls = realCalls();
    const reached = rulesReached(patterns, calls);
    const selected = calls.map(([eventSource, eventName]) => (detections.includes(classifyCloudTrailEvent(eventSource, eventName)!) ? 1 : 0));
    expect(calls.filter((_c, i) => reached[i] !== selected[i])).toEqual([]);
    expect(selected.filter((x) => x === 1).length).toBeGreaterThan(0);
  });
});
