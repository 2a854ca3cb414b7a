import {
  AttributeValue, DeleteItemCommand, DynamoDBClient, GetItemCommand, ScanCommand, TransactionCanceledException, TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StormEntry, StormWindow } from '../../../../lambda/core/launch/storm';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'mining-guard-idempotency';
const PRINCIPAL = 'user/ci-bot';
const NOW = new Date('2026-11-20T03:12:08.000Z');
const CONDITION_FAILED = awsError('ConditionalCheckFailedException', 'The conditional request failed');
const WINDOW_KEY = { id: { S: 'storm#user/ci-bot' } };

function entry(n: number, region = 'eu-west-1'): StormEntry {
  return {
    eventId: `event-${n}`,
    eventTime: new Date(NOW.getTime() - 300_000 + n * 1000).toISOString(),
    region,
    detection: 'ec2-instance-launch',
    severity: 'HIGH',
    summary: `2 x p3.2xlarge launched in ${region} by ${PRINCIPAL} (~$6.12/h)`,
  };
}

/** A window as the table keeps it. */
function stored(
  windowStart: string, count: number, entries: StormEntry[] = [], principal = PRINCIPAL, extra: Record<string, AttributeValue> = {},
): Record<string, AttributeValue> {
  return {
    id: { S: `storm#${principal}` },
    principal: { S: principal },
    windowStart: { S: windowStart },
    detectionCount: { N: String(count) },
    usdPerHour: { N: String(6.12 * count) },
    regions: { SS: ['eu-west-1'] },
    detections: { SS: ['ec2-instance-launch'] },
    entries: { L: entries.map((e) => ({ S: JSON.stringify(e) })) },
    expiration: { N: '1795748000' },
    ...extra,
  };
}

/** A transaction cancelled with these items' conditions failed, as DynamoDB reports it. */
function cancelled(...codes: Array<'ConditionalCheckFailed' | 'None'>): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

const nothingToPublish = jest.fn(async () => undefined);

/** A fresh container's module: the windows it knows start empty. */
let storm: typeof import('../../../../lambda/aws/launch/storm-window');

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-north-1' }));
beforeEach(async () => {
  dynamo.reset();
  nothingToPublish.mockClear();
  storm = await freshModule(() => import('../../../../lambda/aws/launch/storm-window'));
});

describe('admitToWindow', () => {
  test('the first detection opens the window, timed by its arrival, and is marked as the first of its event in the same transaction', async () => {
    // GIVEN no window for the principal
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(TransactWriteItemsCommand).resolves({});

    // WHEN a detection whose record is five minutes old arrives now
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish);

    // THEN
    expect(admission).toEqual({ role: 'first', windowStart: NOW.toISOString(), alerted: false });
    const [transaction] = dynamo.commandCalls(TransactWriteItemsCommand);
    expect(transaction.args[0].input.TransactItems).toEqual([
      {
        Put: {
          TableName: TABLE,
          Item: {
            ...WINDOW_KEY,
            principal: { S: PRINCIPAL },
            windowStart: { S: NOW.toISOString() },
            firstEventId: { S: 'event-0' },
            detectionCount: { N: '1' },
            usdPerHour: { N: '6.12' },
            regions: { SS: ['eu-west-1'] },
            detections: { SS: ['ec2-instance-launch'] },
            entries: { L: [{ S: JSON.stringify(entry(0)) }] },
            expiration: { N: String(NOW.getTime() / 1000 + 86400) },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        },
      },
      {
        Put: {
          TableName: TABLE,
          Item: {
            id: { S: 'storm-event#event-0' },
            principal: { S: PRINCIPAL },
            role: { S: 'first' },
            windowStart: { S: NOW.toISOString() },
            expiration: { N: String(NOW.getTime() / 1000 + 86400) },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        },
      },
    ]);
    expect(dynamo.commandCalls(GetItemCommand)[0].args[0].input).toEqual({ TableName: TABLE, Key: WINDOW_KEY, ConsistentRead: true });
    expect(await regionOf(transaction)).toBe('eu-north-1');
    expect(nothingToPublish).not.toHaveBeenCalled();
  });

  test('a later detection is counted into the open window on the condition it is the same window, and listed while the sample has room', async () => {
    // GIVEN a window opened a minute ago
    const start = new Date(NOW.getTime() - 60_000).toISOString();
    dynamo.on(GetItemCommand).resolves({ Item: stored(start, 3, [entry(0), entry(1), entry(2)]) });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});

    // WHEN
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(3), 6.12, NOW, nothingToPublish);

    // THEN
    expect(admission).toEqual({ role: 'folded', windowStart: start, alerted: false });
    const [update, marker] = dynamo.commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems!;
    expect(update.Update).toMatchObject({
      Key: WINDOW_KEY,
      ConditionExpression: 'windowStart = :start AND attribute_not_exists(claimedUntil)',
      UpdateExpression: 'SET expiration = :ttl ADD detectionCount :one, usdPerHour :usd, regions :region, detections :detection',
    });
    expect(update.Update!.ExpressionAttributeValues![':start']).toEqual({ S: start });
    expect(marker.Put!.Item!.role).toEqual({ S: 'folded' });
    expect(dynamo.commandCalls(UpdateItemCommand)[0].args[0].input).toMatchObject({
      Key: WINDOW_KEY,
      ConditionExpression: 'windowStart = :start AND size(entries) < :cap',
      UpdateExpression: 'SET entries = list_append(entries, :entry)',
    });
  });

  test('past the sample size a detection is counted but no longer listed', async () => {
    // GIVEN
    const listed = Array.from({ length: 50 }, (_, i) => entry(i));
    dynamo.on(GetItemCommand).resolves({ Item: stored(NOW.toISOString(), 80, listed) });
    dynamo.on(TransactWriteItemsCommand).resolves({});

    // WHEN
    await storm.admitToWindow(TABLE, PRINCIPAL, entry(80), 6.12, NOW, nothingToPublish);

    // THEN
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  test('an event counted before (a retry, or the other delivery path) is not counted again, and keeps the role it was given', async () => {
    // GIVEN the event's marker says it opened the window and its alert never went out
    dynamo.on(GetItemCommand, { Key: WINDOW_KEY }).resolves({ Item: stored(NOW.toISOString(), 4) });
    dynamo.on(GetItemCommand, { Key: { id: { S: 'storm-event#event-0' } } }).resolves({
      Item: { id: { S: 'storm-event#event-0' }, role: { S: 'first' }, windowStart: { S: '2026-11-20T03:10:00.000Z' } },
    });
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));

    // WHEN
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish);

    // THEN
    expect(admission).toEqual({ role: 'first', windowStart: '2026-11-20T03:10:00.000Z', alerted: false });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  test('of two containers opening the same window, the one whose conditional write loses is folded', async () => {
    // GIVEN no window when read, another container's window by the time of the write
    const theirs = stored(NOW.toISOString(), 1, [entry(9)]);
    dynamo.on(GetItemCommand).resolvesOnce({}).resolves({ Item: theirs });
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});

    // WHEN
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish);

    // THEN
    expect(admission.role).toBe('folded');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)[1].args[0].input.TransactItems![0].Update).toBeDefined();
  });

  test('a closed window in the way is published, then deleted on its claim, and a new window opened', async () => {
    // GIVEN the principal's window opened six minutes ago
    const old = stored(new Date(NOW.getTime() - 360_000).toISOString(), 7, [entry(-360)]);
    const order: string[] = [];
    dynamo.on(GetItemCommand).resolvesOnce({ Item: old }).resolves({});
    dynamo.on(UpdateItemCommand).callsFake(async (input) => {
      order.push('claim');
      return { Attributes: { ...old, claimToken: input.ExpressionAttributeValues[':token'] } };
    });
    dynamo.on(DeleteItemCommand).callsFake(async () => {
      order.push('delete');
      return {};
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    const publish = jest.fn(async (w: StormWindow) => {
      order.push(`publish ${w.count}`);
    });

    // WHEN
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, publish);

    // THEN
    expect(order).toEqual(['claim', 'publish 7', 'delete']);
    expect(admission).toEqual({ role: 'first', windowStart: NOW.toISOString(), alerted: false });
  });

  test('a closed window another invocation is publishing is waited for, not published twice', async () => {
    // GIVEN a window claimed for the next minute, gone at the second read
    const claimed = stored(new Date(NOW.getTime() - 360_000).toISOString(), 7, [], PRINCIPAL, { claimedUntil: { N: String(Date.now() + 60_000) } });
    dynamo.on(GetItemCommand).resolvesOnce({ Item: claimed }).resolves({});
    dynamo.on(TransactWriteItemsCommand).resolves({});

    // WHEN
    const admission = await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish);

    // THEN
    expect(admission.role).toBe('first');
    expect(nothingToPublish).not.toHaveBeenCalled();
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  test('a container that joined a window joins it again without reading it, and reads again when the window changed', async () => {
    // GIVEN a window this container opened
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(TransactWriteItemsCommand).resolvesOnce({}).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    await storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish);

    // WHEN the next detection arrives, then one after the window was published and restarted elsewhere
    const second = await storm.admitToWindow(TABLE, PRINCIPAL, entry(1), 6.12, NOW, nothingToPublish);
    const later = new Date(NOW.getTime() + 1000).toISOString();
    dynamo.on(GetItemCommand).resolves({ Item: stored(later, 1) });
    const third = await storm.admitToWindow(TABLE, PRINCIPAL, entry(2), 6.12, NOW, nothingToPublish);

    // THEN one read for the first, none for the second, one after the stale join failed
    expect(second).toEqual({ role: 'folded', windowStart: NOW.toISOString(), alerted: false });
    expect(third).toEqual({ role: 'folded', windowStart: later, alerted: false });
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(2);
  });

  test('gives up with a clear error when the window keeps changing under concurrent updates', async () => {
    // GIVEN
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    // WHEN / THEN
    await expect(storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish))
      .rejects.toThrow('storm window of user/ci-bot kept changing under concurrent updates');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(8);
  });

  test.each([
    ['a missing table', awsError('ResourceNotFoundException', 'Requested resource not found')],
    ['throttling that outlasts the SDK\'s retries',
      awsError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.')],
  ])('throws on %s, so the caller alerts on its own', async (_, error) => {
    // GIVEN
    dynamo.on(GetItemCommand).rejects(error);

    // WHEN / THEN
    await expect(storm.admitToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW, nothingToPublish)).rejects.toBe(error);
  });
});

describe('markFirstAlerted', () => {
  test('marks the event\'s record, so a retry does not send the first alert again', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    await storm.markFirstAlerted(TABLE, 'event-0');
    expect(dynamo.commandCalls(UpdateItemCommand)[0].args[0].input).toEqual({
      TableName: TABLE, Key: { id: { S: 'storm-event#event-0' } }, UpdateExpression: 'SET alerted = :yes', ExpressionAttributeValues: { ':yes': { BOOL: true } },
    });
  });
});

describe('recordOutcome', () => {
  const START = '2026-11-20T03:10:00.000Z';

  test('counts the steps and the failures into the window, and keeps the failures word for word while there is room', async () => {
    // GIVEN
    dynamo.on(UpdateItemCommand).resolves({});

    // WHEN
    const recorded = await storm.recordOutcome(TABLE, PRINCIPAL, START, 4, ['FAILED: stop instance i-1: UnauthorizedOperation.']);

    // THEN
    expect(recorded).toBe(true);
    const [count, list] = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(count).toMatchObject({
      Key: WINDOW_KEY,
      ConditionExpression: 'windowStart = :start AND attribute_not_exists(claimedUntil)',
      UpdateExpression: 'ADD steps :steps, failedSteps :failed',
      ExpressionAttributeValues: { ':start': { S: START }, ':steps': { N: '4' }, ':failed': { N: '1' } },
    });
    expect(list).toMatchObject({
      ConditionExpression: 'windowStart = :start AND (attribute_not_exists(failures) OR size(failures) < :cap)',
      UpdateExpression: 'SET failures = list_append(if_not_exists(failures, :empty), :lines)',
    });
    expect(list.ExpressionAttributeValues![':lines']).toEqual({ L: [{ S: 'FAILED: stop instance i-1: UnauthorizedOperation.' }] });
  });

  test('a full failure list only counts', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejects(CONDITION_FAILED);
    await expect(storm.recordOutcome(TABLE, PRINCIPAL, START, 1, ['FAILED: x.'])).resolves.toBe(true);
  });

  test('a window published meanwhile refuses the outcome, so the caller alerts it on its own', async () => {
    dynamo.on(UpdateItemCommand).rejects(CONDITION_FAILED);
    await expect(storm.recordOutcome(TABLE, PRINCIPAL, START, 1, ['FAILED: x.'])).resolves.toBe(false);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  test('no failures, one write', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    await storm.recordOutcome(TABLE, PRINCIPAL, START, 3, []);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });
});

describe('closedWindows', () => {
  test('scans every page for storm windows and returns the closed ones, deleting nothing', async () => {
    // GIVEN one closed and one open window on the first page, another closed one on the second
    const closedA = stored('2026-11-20T03:00:00.000Z', 4, [], 'user/a', { steps: { N: '8' }, failedSteps: { N: '1' }, failures: { L: [{ S: 'FAILED: a.' }] } });
    const open = stored('2026-11-20T03:10:00.000Z', 2, [], 'user/b');
    const closedC = stored('2026-11-20T02:00:00.000Z', 9, [], 'role/c');
    dynamo.on(ScanCommand)
      .resolvesOnce({ Items: [closedA, open], LastEvaluatedKey: { id: { S: 'storm#user/b' } } })
      .resolvesOnce({ Items: [closedC] });

    // WHEN
    const windows = await storm.closedWindows(TABLE, NOW);

    // THEN
    expect(windows.map((w) => [w.principal, w.count])).toEqual([['user/a', 4], ['role/c', 9]]);
    expect(windows[0]).toMatchObject({ steps: 8, failedSteps: 1, failures: ['FAILED: a.'] });
    expect(dynamo.commandCalls(ScanCommand).map((c) => c.args[0].input.ExclusiveStartKey)).toEqual([undefined, { id: { S: 'storm#user/b' } }]);
    expect(dynamo.commandCalls(ScanCommand)[0].args[0].input).toMatchObject({ FilterExpression: 'begins_with(id, :prefix)', ExpressionAttributeValues: { ':prefix': { S: 'storm#' } } });
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test('a window exactly five minutes old is closed', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [stored('2026-11-20T03:07:08.000Z', 2)] });
    expect(await storm.closedWindows(TABLE, NOW)).toHaveLength(1);
  });
});

describe('flushWindow', () => {
  const closed = stored('2026-11-20T03:00:00.000Z', 4);
  const window = { principal: PRINCIPAL, windowStart: '2026-11-20T03:00:00.000Z' } as StormWindow;

  test('claims the window, publishes it as claimed (with every outcome recorded until then), then deletes it on the claim', async () => {
    // GIVEN
    const order: string[] = [];
    let token: AttributeValue | undefined;
    dynamo.on(UpdateItemCommand).callsFake(async (input) => {
      order.push('claim');
      token = input.ExpressionAttributeValues[':token'];
      return { Attributes: { ...closed, failedSteps: { N: '3' } } };
    });
    dynamo.on(DeleteItemCommand).callsFake(async () => {
      order.push('delete');
      return {};
    });
    const publish = jest.fn(async (w: StormWindow) => {
      order.push(`publish ${w.failedSteps}`);
    });

    // WHEN
    const published = await storm.flushWindow(TABLE, window, publish);

    // THEN
    expect(published).toBe(true);
    expect(order).toEqual(['claim', 'publish 3', 'delete']);
    expect(dynamo.commandCalls(UpdateItemCommand)[0].args[0].input).toMatchObject({
      Key: WINDOW_KEY,
      ConditionExpression: 'windowStart = :start AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
      UpdateExpression: 'SET claimedUntil = :until, claimToken = :token',
      ReturnValues: 'ALL_NEW',
    });
    expect(dynamo.commandCalls(DeleteItemCommand)[0].args[0].input).toEqual({
      TableName: TABLE, Key: WINDOW_KEY, ConditionExpression: 'claimToken = :token', ExpressionAttributeValues: { ':token': token },
    });
  });

  test('a failed publish releases the claim, keeps the window, and throws, so the next flush sends it', async () => {
    // GIVEN
    const refused = awsError('AuthorizationErrorException', 'User is not authorized to perform: SNS:Publish', 403);
    dynamo.on(UpdateItemCommand).resolves({ Attributes: closed });

    // WHEN / THEN
    await expect(storm.flushWindow(TABLE, window, async () => {
      throw refused;
    })).rejects.toBe(refused);
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateItemCommand)[1].args[0].input).toMatchObject({
      Key: WINDOW_KEY, ConditionExpression: 'claimToken = :token', UpdateExpression: 'REMOVE claimedUntil, claimToken',
    });
  });

  test('a window claimed by a concurrent flush, or restarted meanwhile, is left to it', async () => {
    dynamo.on(UpdateItemCommand).rejects(CONDITION_FAILED);
    await expect(storm.flushWindow(TABLE, window, nothingToPublish)).resolves.toBe(false);
    expect(nothingToPublish).not.toHaveBeenCalled();
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test('a delete that finds the claim taken over does not fail the flush: the summary went out', async () => {
    dynamo.on(UpdateItemCommand).resolves({ Attributes: closed });
    dynamo.on(DeleteItemCommand).rejects(CONDITION_FAILED);
    await expect(storm.flushWindow(TABLE, window, nothingToPublish)).resolves.toBe(true);
  });

  test.each([
    ['the claim', UpdateItemCommand],
    ['the delete', DeleteItemCommand],
  ] as const)('throws when %s fails for another reason than a race', async (_, command) => {
    const denied = awsError('AccessDeniedException', 'User is not authorized');
    dynamo.on(UpdateItemCommand).resolves({ Attributes: closed });
    dynamo.on(command as typeof UpdateItemCommand).rejects(denied);
    await expect(storm.flushWindow(TABLE, window, nothingToPublish)).rejects.toBe(denied);
  });
});
