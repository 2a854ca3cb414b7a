/**
 * The launch evaluator's alert flow against the emulator's DynamoDB (its conditional writes and transactions decide
 * who alerts first and count each event once), with SNS mocked to inject failures and the containment actor mocked
 * to report chosen outcomes: alert first, outcome after; bursts folded by arrival; failures carried to a person;
 * publishes that fail and are retried; a table that cannot be reached.
 */
import { gzipSync } from 'zlib';
import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { ActionOutcome } from '../../../lambda/aws/launch/act-containment';
import { MAX_SNS_MESSAGE_BYTES, snsMessageBytes } from '../../../lambda/core/alerts/render-alert';
import type { ContainmentPlan } from '../../../lambda/core/launch/plan-containment';
import { eventBridgeEvent, runInstances } from '../../fixtures/documented-cloudtrail';
import { atTime } from '../../harness/fake-clock';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { LaunchHandler, launchHandlerWith } from '../../harness/launch-handler';
import { createIdempotencyTable, uniqueName } from '../../harness/moto';

/** Every instance id the actor is to report as failed (after its own retry), and the order of what happened. */
const failing = new Set<string>();
const happened: string[] = [];

jest.mock('../../../lambda/aws/launch/act-containment', () => ({
  actContainment: jest.fn(async (plan: ContainmentPlan): Promise<ActionOutcome[]> => {
    happened.push('act');
    // One outcome per instance, so that a few failures among many are told apart.
    return plan.actions.flatMap((action) => {
      const ids = 'instanceIds' in action ? action.instanceIds : [JSON.stringify(action)];
      return ids.map((id) => ({
        action: { ...action, instanceIds: [id] } as typeof action,
        outcome: failing.has(id) ? 'failed' as const : 'done' as const,
        detail: failing.has(id) ? 'UnauthorizedOperation: You are not authorized to perform this operation.' : undefined,
      }));
    });
  }),
  describeOutcomes: (outcomes: readonly ActionOutcome[]) => outcomes.map((o) => {
    const id = 'instanceIds' in o.action ? o.action.instanceIds[0] : o.action.kind;
    return o.outcome === 'failed' ? `FAILED: stop instance ${id}: ${o.detail}. Do it by hand.` : `Done: stop instance ${id}.`;
  }),
}));

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';

let table: string;

beforeAll(async () => {
  table = await createIdempotencyTable();
});

beforeEach(() => {
  emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: TOPIC, IDEMPOTENCY_TABLE: table });
  delete process.env.NOTIFIER_FUNCTION;
  sns.reset();
  sns.on(PublishCommand).callsFake(async (input: PublishCommandInput) => {
    happened.push(`publish ${input.Subject}`);
    return { MessageId: 'm' };
  });
  ec2.reset();
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.reset();
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
  failing.clear();
  happened.length = 0;
});

interface Published {
  readonly subject: string;
  readonly text: string;
  readonly detection: string;
  readonly bytes: number;
}

function published(): Published[] {
  return sns.commandCalls(PublishCommand).map((c) => {
    const input = c.args[0].input;
    const attributes = { severity: input.MessageAttributes!.severity.StringValue!, detection: input.MessageAttributes!.detection.StringValue! };
    return {
      subject: input.Subject!,
      text: JSON.parse(input.Message!).default as string,
      detection: attributes.detection,
      bytes: snsMessageBytes({ subject: input.Subject!, message: input.Message!, attributes }),
    };
  });
}

/** A principal of each test's own, so that windows do not mix. */
function principal(): { principalArn: string; region: string } {
  return { principalArn: `arn:aws:iam::123456789012:user/${uniqueName('attacker')}`, region: 'us-east-1' };
}

function logsDelivery(records: readonly object[]): object {
  const logEvents = records.map((r, i) => ({ id: String(i), timestamp: Date.now(), message: JSON.stringify(r) }));
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents }))).toString('base64') } };
}

/** The scheduled flush, as EventBridge's schedule delivers it, `minutes` from now. */
function flushIn(minutes: number): object {
  return { 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'account': '123456789012', 'time': new Date(Date.now() + minutes * 60_000).toISOString(), 'detail': {} };
}

const ids = (n: number, prefix = 'i-0') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(16, '0')}`);

let handler: LaunchHandler;
beforeAll(async () => {
  handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });
});

test('1,000 detections by one principal within two minutes, delivered five minutes late through the log group: 2 messages account for all 1,000', async () => {
  // GIVEN 1,000 launches made over two minutes, seven to five minutes ago, each of one instance
  const who = principal();
  const started = Date.now() - 7 * 60_000;
  const records = ids(1000).map((id, i) => ({
    ...runInstances('p3.2xlarge', 1, [id], { ...who, eventId: uniqueName(`late-${i}`) }),
    eventTime: new Date(started + i * 120).toISOString(),
  }));
  // An invocation short of time does not ask CloudTrail to confirm them (its own test covers that): they are alerted, not contained.
  const shortOfTime = { getRemainingTimeInMillis: () => 30_000 } as Context;
  const run = handler as (event: unknown, context: Context) => ReturnType<LaunchHandler>;

  // WHEN the log group delivers them now, in two batches, a part of them delivered again, and the flush runs after
  // the window. The clock stands still while they are judged: the emulator takes minutes for what DynamoDB does in
  // seconds, and windows are timed by arrival.
  const flush = await atTime(Date.now(), async () => {
    await run(logsDelivery(records.slice(0, 600)), shortOfTime);
    await run(logsDelivery(records.slice(600)), shortOfTime);
    await run(logsDelivery(records.slice(590, 610)), shortOfTime);
    return handler(flushIn(6));
  });

  // THEN one first alert and one summary, which counts each event once
  expect(flush.outcomes).toEqual([{ result: 'flushed' }]);
  const messages = published();
  expect(messages.map((m) => m.subject)).toEqual([
    expect.stringMatching(/^\[MiningGuard\]\[HIGH\] 1 x p3\.2xlarge launched in us-east-1 by user\/attacker-/),
    expect.stringMatching(/^\[MiningGuard\]\[HIGH\] 999 more launch detections by user\/attacker-\w+ in 1 region within 5 min$/),
  ]);
  expect(messages.length).toBeLessThanOrEqual(3);
  expect(messages[1].text).toContain('... and 950 more, in CloudTrail.');
  for (const m of messages) expect(m.bytes).toBeLessThan(MAX_SNS_MESSAGE_BYTES);
}, 600_000);

test('1,000 instances in one RunInstances response: one alert before containment, then the outcome, under 256 KB, the failures first', async () => {
  // GIVEN three of the 1,000 stops still failing after the actor's own retry
  const instances = ids(1000, 'i-1');
  for (const id of [instances[3], instances[500], instances[999]]) failing.add(id);

  // WHEN
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1000, instances, principal())));

  // THEN the alert went out before anything was done, and says what will be done
  expect(happened.map((h) => h.split(' ')[0])).toEqual(['publish', 'act', 'publish']);
  const [before, after] = published();
  expect(before.text).toContain('Containing now: 1 step. A second alert follows with what was done and what failed.');
  expect(after.subject).toMatch(/^\[MiningGuard\]\[\w+\] 3 of 1000 steps FAILED: 1000 x p3\.2x/);
  expect(after.bytes).toBeLessThan(MAX_SNS_MESSAGE_BYTES);
  expect(after.text).toContain(`3 of 1000 containment steps FAILED; each is listed first and needs a hand.\nFAILED: stop instance ${instances[3]}`);
  expect(after.text).toContain(`FAILED: stop instance ${instances[999]}`);
  process.stdout.write(`first alert ${before.bytes} bytes, outcome alert ${after.bytes} bytes\n`);
}, 120_000);

describe('failures always reach a person', () => {
  test('three failed stops out of 500 in a folded detection appear in the summary a person receives', async () => {
    // GIVEN a first detection, then one of 500 instances whose three stops fail
    const who = principal();
    const instances = ids(500, 'i-2');
    for (const id of instances.slice(0, 3)) failing.add(id);
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ffffffffffffffff'], { ...who, eventId: uniqueName('opening') })));

    // WHEN
    const { outcomes } = await handler(eventBridgeEvent(runInstances('p3.2xlarge', 500, instances, { ...who, eventId: uniqueName('folded') })));
    await handler(flushIn(6));

    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['folded']);
    const summary = published().find((m) => m.detection === 'launch-burst')!;
    expect(summary.text).toContain('3 of 500 containment steps FAILED for the folded detections; each needs a hand:');
    for (const id of instances.slice(0, 3)) expect(summary.text).toContain(`FAILED: stop instance ${id}: UnauthorizedOperation`);
  });

  test('a failed publish during a flush, then a retry, loses no detection', async () => {
    // GIVEN three detections of one principal
    const who = principal();
    for (let i = 0; i < 3; i++) await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, [`i-0${i}`], { ...who, eventId: uniqueName('flush') })));
    sns.reset();
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })).resolves({ MessageId: 'm' });

    // WHEN the flush cannot publish, and is run again (Lambda's retry, or the next schedule)
    await expect(handler(flushIn(6))).rejects.toThrow(/Rate exceeded/);
    const retry = await handler(flushIn(6));

    // THEN the summary went out with both folded detections
    expect(retry.outcomes).toContainEqual({ result: 'flushed' });
    const summaries = published().filter((m) => m.detection === 'launch-burst' && m.subject.includes(who.principalArn.split('/').pop()!));
    expect(summaries.map((m) => m.subject)).toEqual([expect.stringContaining('2 more launch detections'), expect.stringContaining('2 more launch detections')]);
    expect((await handler(flushIn(6))).outcomes).toEqual([]);
  });

  test('a failed first alert is sent on retry, once; the retry of a failed outcome alert does not send the first again', async () => {
    // GIVEN SNS refusing the first publish
    const who = principal();
    const event = eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaaa'], { ...who, eventId: uniqueName('retried') }));
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })).resolves({ MessageId: 'm' });

    // WHEN Lambda retries the event
    await expect(handler(event)).rejects.toThrow(/Rate exceeded/);
    const retried = await handler(event);

    // THEN it is still the window's first, alerted, not folded into a window whose first alert was never sent
    expect(retried.outcomes.map((o) => o.result)).toEqual(['alerted']);
    const sent = published().slice(1);
    expect(sent.map((m) => m.subject)).toEqual([expect.stringContaining('1 x p3.2xlarge launched'), expect.stringContaining('Contained: 1 x p3.2xlarge')]);

    // AND GIVEN another event whose outcome alert fails
    const other = principal();
    const second = eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0bbbb'], { ...other, eventId: uniqueName('outcome') }));
    sns.reset();
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm' }).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })).resolves({ MessageId: 'm' });
    await expect(handler(second)).rejects.toThrow(/Rate exceeded/);
    await handler(second);
    // THEN the first alert went out once, the outcome on the retry
    expect(published().map((m) => m.subject.replace(/^\[MiningGuard\]\[\w+\] /, '').split(':')[0])).toEqual(['1 x p3.2xlarge launched in us-east-1 by user/' + other.principalArn.split('/').pop() + ' (~$3.06/h)', 'Contained', 'Contained']);
  });
});

describe('degrade, never block', () => {
  test('a missing idempotency table still contains, and the alerts say duplicates were not suppressed and storm control is off', async () => {
    // GIVEN
    emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: TOPIC, IDEMPOTENCY_TABLE: uniqueName('missing-table') });
    const fresh = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });

    // WHEN
    const { outcomes } = await fresh(eventBridgeEvent(runInstances('p3.2xlarge', 2, ['i-0d1', 'i-0d2'], principal())));

    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(happened.filter((h) => h === 'act')).toHaveLength(1);
    const [before, after] = published();
    for (const m of [before, after]) {
      expect(m.text).toContain('Duplicates were not suppressed: the idempotency table could not be reached (');
      expect(m.text).toContain('Storm control is unavailable (ResourceNotFoundException');
    }
    expect(after.text).toContain('All 2 containment steps were done.');
  });
});
