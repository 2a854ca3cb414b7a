/**
 * Structure-aware fuzzing of everything that reads a CloudTrail record: records are generated per catalog event name,
 * shaped like the real ones (the field names the fixtures use), with wrong types at every depth of
 * `requestParameters`, `responseElements` and `userIdentity`: strings where lists are, lists where objects are,
 * numbers, null, huge strings, deep nesting. No reader may throw; a judge that trips over a field shows as an alert
 * saying the event "could not be judged", which the fuzz counts as a failure too.
 *
 * Cases in all: the sum of {@link RUNS}.
 */
import { gzipSync } from 'zlib';
import * as fc from 'fast-check';
import { toAlertMessage } from '../../../lambda/core/alerts/render-alert';
import { stringAt } from '../../../lambda/core/events/event-fields';
import { bundledSpec } from '../../../lambda/core/launch/bundled-specs';
import { invocationRecords } from '../../../lambda/core/launch/invocation-records';
import { judgeLaunch } from '../../../lambda/core/launch/judge-launch';
import { describeLaunch, isLaunchEventName } from '../../../lambda/core/launch/launch-request';
import { notifierCall } from '../../../lambda/core/launch/notifier-calls';
import { recordsOfLogFile } from '../../../lambda/core/launch/read-log-file';
import { alertForEvent } from '../../../lambda/core/notifier/alert-for-event';
import { cloudTrailSelections, EMPTY_GUARD_CONTEXT, GuardContext, resolveLaunchSettings } from '../../../lib/catalog';
import { eventBridgeEvent } from '../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../fixtures/real-events';

/** Runs per property, 100,000 in all: most where judging is cheapest, so the whole file runs in about half a minute. */
const RUNS = { notifier: 45_000, launch: 45_000, invocation: 5_000, reader: 5_000 } as const;

/** Every call the catalog selects, as [eventSource, eventName]. */
const CALLS: Array<[string, string]> = [...cloudTrailSelections()]
  .flatMap(([source, names]) => names.map((name): [string, string] => [source, name]));

const FIXTURES = [
  'cloudtrail/attack/stratus_detonation_logs.jsonl', 'cloudtrail/attack/invictus_stratus_2023-07-10.jsonl',
  'cloudtrail/benign/invictus_terraform_setup_teardown.jsonl', 'cloudtrail/benign/invictus_aws_service_background.jsonl',
  'cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl',
].flatMap((f) => readJsonLines(f));

/** Every key the real records use under a part, at any depth, and the readers' own spellings: the fuzz's vocabulary. */
function keysUnder(parts: readonly string[]): string[] {
  const keys = new Set<string>(['items', 'item', 'instanceTypes', 'instanceType', 'InstanceType', 'computeResources', 'maxvCpus', 'desiredCount',
    'cpu', 'containerDefinitions', 'launchTemplate', 'LaunchTemplateSpecification', 'version', 'policyDocument', 'policyArn', 'userName', 'roleName',
    'bucketName', 'name', 'enable', 'action', 'authType', 'functionName', 'instancesSet', 'instanceId', 'maxCount', 'count', 'taskDefinition',
    'productionVariants', 'resourceConfig', 'TotalTargetCapacity', 'targetCapacity', 'serviceCode', 'desiredValue', 'arn', 'type', 'sessionContext',
    'sessionIssuer', 'invokedBy', 'principalId', 'accountId', 'ConsoleLogin', 'MFAUsed', 'Statement', 'Effect', 'Action', 'NotAction', 'Resource']);
  const stack: Array<{ value: unknown; depth: number }> = FIXTURES.flatMap((r) => parts.map((p) => ({ value: r[p], depth: 0 })));
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (depth > 6 || value === null || typeof value !== 'object') continue;
    for (const [k, v] of Object.entries(value)) {
      if (!Array.isArray(value)) keys.add(k);
      stack.push({ value: v, depth: depth + 1 });
    }
  }
  return [...keys];
}
const KEYS = keysUnder(['requestParameters', 'responseElements', 'userIdentity', 'additionalEventData']);

/** Nesting deeper than any walker should follow, alternately objects of the real keys and lists. */
function nested(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { [KEYS[i % KEYS.length]]: v };
  return v;
}

/** A value of any JSON type, of a type no reader expects, at the leaves; huge strings and deep nesting now and then. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 30 },
  {
    arbitrary: fc.constantFrom('', 'true', 'false', '0', '-1', '1e400', 'NaN', '16 vCPU', '*', 'p4d.24xlarge', 'optimal', 'arn:aws:iam::123456789012:root', '{"Action":"*"}'),
    weight: 30,
  },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e308, Infinity, -Infinity, NaN)), weight: 30 },
  { arbitrary: fc.oneof(fc.boolean(), fc.constant(null), fc.constant(undefined)), weight: 30 },
  { arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.integer({ min: 50, max: 1_500 }).map(nested), weight: 1 },
);

/** A value shaped like a request or response: objects of the real keys, lists, and wrong types anywhere. */
const shaped: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 5 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.record({ items: fc.oneof(fc.array(tie('node'), { maxLength: 3 }), tie('node')) }),
  ),
})).node;

/** The parts of a record whose shape the readers must not trust. */
const PARTS = ['requestParameters', 'responseElements', 'userIdentity', 'additionalEventData'] as const;

/** Records of the launch calls, and of the calls the notifier judges. */
function recordsOf(calls: ReadonlyArray<[string, string]>): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(records(calls), mutated(calls));
}

/** A record of a catalog call whose request, response, identity or event data is generated; the other fields now and then wrong. */
const records = (calls: ReadonlyArray<[string, string]>): fc.Arbitrary<Record<string, unknown>> => fc.record({
  call: fc.constantFrom(...calls),
  part: fc.constantFrom(...PARTS),
  value: fc.oneof(shaped, fc.record({ type: fc.oneof(fc.constantFrom('Root', 'IAMUser', 'AssumedRole', 'AWSService'), leaf), arn: leaf, invokedBy: leaf })),
  eventID: fc.oneof({ arbitrary: fc.uuid(), weight: 9 }, { arbitrary: leaf, weight: 1 }),
  eventTime: fc.oneof({ arbitrary: fc.constant('2026-11-20T03:12:08Z'), weight: 9 }, { arbitrary: leaf, weight: 1 }),
  awsRegion: fc.oneof({ arbitrary: fc.constantFrom('us-east-1', 'af-south-1'), weight: 9 }, { arbitrary: leaf, weight: 1 }),
  errorCode: fc.oneof({ arbitrary: fc.constantFrom(undefined, 'Client.VcpuLimitExceeded', 'AccessDenied'), weight: 9 }, { arbitrary: leaf, weight: 1 }),
}).map(({ call: [eventSource, eventName], part, value, ...rest }) => ({
  eventVersion: '1.09',
  eventSource,
  eventName,
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/ci-bot', accountId: '123456789012' },
  recipientAccountId: '123456789012',
  requestParameters: {},
  responseElements: null,
  ...rest,
  [part]: value,
}));

/** A real record of a catalog call with one value, at any depth of its request, response or identity, of the wrong type. */
const mutated = (calls: ReadonlyArray<[string, string]>): fc.Arbitrary<Record<string, unknown>> => {
  const selected = new Set(calls.map(([s, n]) => `${s}|${n}`));
  const real = FIXTURES.filter((r) => selected.has(`${String(r.eventSource)}|${String(r.eventName)}`));
  return fc.record({ record: fc.constantFrom(...real), steps: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), value: fc.oneof(leaf, shaped) })
    .map(({ record, steps, value }) => {
      const copy = structuredClone(record);
      let at: Record<string, unknown> = copy;
      let key: string = PARTS[steps[0] % PARTS.length];
      for (const step of steps.slice(1)) {
        const next = at[key];
        if (next === null || typeof next !== 'object') break;
        const keys = Object.keys(next);
        if (keys.length === 0) break;
        at = next as Record<string, unknown>;
        key = keys[step % keys.length];
      }
      at[key] = value;
      return copy;
    });
};

const LAUNCH_CALLS = CALLS.filter(([, name]) => isLaunchEventName(name));
const NOTIFIER_CALLS = CALLS.filter(([, name]) => !isLaunchEventName(name));
const anyRecord = recordsOf(CALLS);

const CONTEXT: GuardContext = {
  ...EMPTY_GUARD_CONTEXT,
  trailBuckets: ['org-trail-logs'],
  guardNamePrefixes: ['MiningGuard-'],
  guardArns: ['arn:aws:sns:us-east-1:123456789012:MiningGuard-Alerts'],
};
const SETTINGS = resolveLaunchSettings({ computePolicy: { allowedRegions: ['us-east-1'] } });

/** The notifier's judgement of a record as EventBridge delivers it, or bare; a judge that threw shows in the reason. */
function assertNotifierJudges(record: Record<string, unknown>, bare: boolean): void {
  const call = notifierCall(record);
  const event = bare ? record : call && 'event' in call ? call.event : eventBridgeEvent(record);
  const read = alertForEvent(event, CONTEXT);
  if (read.reason?.startsWith('it could not be judged')) throw new Error(`${String(record.eventName)}: ${read.reason}`);
  // What the notifier publishes: rendering is on the path too (rendered for half the cases, to keep the file fast).
  if (read.alert && bare) toAlertMessage(read.alert);
}

/** The launch evaluator's pure path: the request reader, then the whole judgement. */
function assertLaunchJudges(record: Record<string, unknown>): void {
  const judgement = judgeLaunch(record, SETTINGS, bundledSpec, new Date(0));
  if (judgement.outcome === 'judged' && isLaunchEventName(judgement.record.eventName)) describeLaunch(judgement.record);
}

describe('no record of a catalog call, however malformed, makes a reader throw', () => {
  test('the notifier\'s alertForEvent and the alert it renders, bare and wrapped as EventBridge delivers it', () => {
    fc.assert(fc.property(recordsOf(NOTIFIER_CALLS), fc.boolean(), assertNotifierJudges), { numRuns: RUNS.notifier });
  });

  test('the launch evaluator\'s judgement: request readers, named types, policy, containment plan', () => {
    fc.assert(fc.property(recordsOf(LAUNCH_CALLS), assertLaunchJudges), { numRuns: RUNS.launch });
  });

  test('the invocation unpacking: a CloudWatch Logs batch of such records, or an EventBridge event carrying one', () => {
    const batches = fc.array(fc.oneof(anyRecord.map((r) => JSON.stringify(r)), fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 2 });
    fc.assert(fc.property(batches, anyRecord, (messages, record) => {
      const payload = { messageType: 'DATA_MESSAGE', logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 0, message })) };
      const delivery = { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
      const unpacked = invocationRecords(delivery, () => undefined);
      expect(unpacked.length).toBeLessThanOrEqual(messages.length);
      expect(invocationRecords(eventBridgeEvent(record), () => undefined)).toHaveLength(1);
      for (const value of unpacked) notifierCall(value);
    }), { numRuns: RUNS.invocation });
  });

  test('the replay\'s reader: such records as S3 delivers them, as JSON lines, gzipped, cut short', () => {
    const files = fc.record({
      records: fc.array(anyRecord, { maxLength: 2 }),
      shape: fc.constantFrom('s3', 'lines', 'array'),
      gzip: fc.boolean(),
      cut: fc.option(fc.nat(), { nil: undefined }),
    }).map(({ records: rs, shape, gzip, cut }) => {
      const text = shape === 's3' ? JSON.stringify({ Records: rs }) : shape === 'array' ? JSON.stringify(rs) : rs.map((r) => JSON.stringify(r)).join('\n');
      const bytes = gzip ? gzipSync(Buffer.from(text)) : Buffer.from(text);
      return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
    });
    fc.assert(fc.property(files, (bytes) => {
      const read = recordsOfLogFile('fuzz.json', bytes, () => undefined);
      for (const value of read) stringAt(value, 'eventID');
    }), { numRuns: RUNS.reader });
  });
});
