import { AttributeValue, DeleteItemCommand, DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { addToWindow, takeClosedWindows } from '../../../../lambda/aws/launch/storm-window';
import type { StormEntry } from '../../../../lambda/core/launch/storm';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'mining-guard-idempotency';
const PRINCIPAL = 'user/ci-bot';
const NOW = new Date('2026-11-20T03:12:08.000Z');
const CONDITION_FAILED = awsError('ConditionalCheckFailedException', 'The conditional request failed');

function entry(n: number, region = 'eu-west-1'): StormEntry {
  return {
    eventId: `event-${n}`,
    eventTime: new Date(NOW.getTime() + n * 1000).toISOString(),
    region,
    detection: 'ec2-instance-launch',
    severity: 'HIGH',
    summary: `2 x p3.2xlarge launched in ${region} by ${PRINCIPAL} (~$6.12/h)`,
  };
}

/** A window as the table keeps it. */
function stored(windowStart: string, count: number, entries: StormEntry[] = [], principal = PRINCIPAL): Record<string, AttributeValue> {
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
  };
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-north-1' }));
beforeEach(() => dynamo.reset());

describe('addToWindow', () => {
  test('opens the principal\'s window with the first detection, and lists it', async () => {
    // GIVEN
    const first = entry(0);
    dynamo.on(UpdateItemCommand).resolvesOnce({ Attributes: stored(first.eventTime, 1) }).resolves({});

    // WHEN
    const { window, closed } = await addToWindow(TABLE, PRINCIPAL, first, 6.12, NOW);

    // THEN
    expect(closed).toBeUndefined();
    expect(window).toEqual({
      principal: PRINCIPAL,
      windowStart: first.eventTime,
      count: 1,
      usdPerHour: 6.12,
      regions: ['eu-west-1'],
      detections: ['ec2-instance-launch'],
      entries: [first],
    });
    const [count, list] = dynamo.commandCalls(UpdateItemCommand);
    expect(count.args[0].input).toEqual({
      TableName: TABLE,
      Key: { id: { S: 'storm#user/ci-bot' } },
      ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart > :floor',
      UpdateExpression: 'SET windowStart = if_not_exists(windowStart, :now), principal = :principal, expiration = :ttl '
        + 'ADD detectionCount :one, usdPerHour :usd, regions :region, detections :detection',
      ExpressionAttributeValues: {
        ':floor': { S: '2026-11-20T03:07:08.000Z' },
        ':now': { S: first.eventTime },
        ':principal': { S: PRINCIPAL },
        ':ttl': { N: String(Math.floor(NOW.getTime() / 1000) + 86400) },
        ':one': { N: '1' },
        ':usd': { N: '6.12' },
        ':region': { SS: ['eu-west-1'] },
        ':detection': { SS: ['ec2-instance-launch'] },
      },
      ReturnValues: 'ALL_NEW',
    });
    expect(list.args[0].input).toEqual({
      TableName: TABLE,
      Key: { id: { S: 'storm#user/ci-bot' } },
      UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :empty), :entry)',
      ExpressionAttributeValues: { ':empty': { L: [] }, ':entry': { L: [{ S: JSON.stringify(first) }] } },
    });
    expect(await regionOf(count)).toBe('eu-north-1');
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test('counts a later detection into the open window, after the ones listed before it', async () => {
    // GIVEN
    const [first, second] = [entry(0), entry(1)];
    dynamo.on(UpdateItemCommand).resolvesOnce({ Attributes: stored(first.eventTime, 2, [first]) }).resolves({});

    // WHEN
    const { window } = await addToWindow(TABLE, PRINCIPAL, second, 6.12, NOW);

    // THEN
    expect(window.count).toBe(2);
    expect(window.entries).toEqual([first, second]);
  });

  test('past the sample size a detection is counted but no longer listed', async () => {
    // GIVEN
    const listed = Array.from({ length: 50 }, (_, i) => entry(i));
    dynamo.on(UpdateItemCommand).resolves({ Attributes: stored(listed[0].eventTime, 51, listed) });

    // WHEN
    const { window } = await addToWindow(TABLE, PRINCIPAL, entry(50), 6.12, NOW);

    // THEN
    expect(window.count).toBe(51);
    expect(window.entries).toEqual(listed);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  test('a closed window not yet flushed is taken over, returned for its summary, and a new one started', async () => {
    // GIVEN the principal's window started six minutes ago
    const old = stored('2026-11-20T03:06:08.000Z', 7, [entry(-360)]);
    const next = entry(0);
    dynamo.on(UpdateItemCommand)
      .rejectsOnce(CONDITION_FAILED)
      .resolvesOnce({ Attributes: stored(next.eventTime, 1) })
      .resolves({});
    dynamo.on(DeleteItemCommand).resolves({ Attributes: old });

    // WHEN
    const { window, closed } = await addToWindow(TABLE, PRINCIPAL, next, 6.12, NOW);

    // THEN
    expect(dynamo.commandCalls(DeleteItemCommand)[0].args[0].input).toEqual({
      TableName: TABLE, Key: { id: { S: 'storm#user/ci-bot' } }, ReturnValues: 'ALL_OLD',
    });
    expect(closed).toMatchObject({ windowStart: '2026-11-20T03:06:08.000Z', count: 7, entries: [entry(-360)] });
    expect(window).toMatchObject({ windowStart: next.eventTime, count: 1, entries: [next] });
  });

  test('a closed window another invocation took first is not summarised here', async () => {
    // GIVEN
    dynamo.on(UpdateItemCommand).rejectsOnce(CONDITION_FAILED).resolvesOnce({ Attributes: stored(entry(0).eventTime, 1) }).resolves({});
    dynamo.on(DeleteItemCommand).resolves({});

    // WHEN
    const { window, closed } = await addToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW);

    // THEN
    expect(closed).toBeUndefined();
    expect(window.count).toBe(1);
  });

  test('gives up with a clear error when the window keeps changing under concurrent updates', async () => {
    // GIVEN
    dynamo.on(UpdateItemCommand).rejects(CONDITION_FAILED);
    dynamo.on(DeleteItemCommand).resolves({});

    // WHEN / THEN
    await expect(addToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW))
      .rejects.toThrow('storm window of user/ci-bot kept changing under concurrent updates');
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(3);
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(3);
  });

  test.each([
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: dynamodb:UpdateItem')],
    ['throttling that outlasts the SDK\'s retries',
      awsError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.')],
  ])('throws on %s without touching the window', async (_, error) => {
    // GIVEN
    dynamo.on(UpdateItemCommand).rejects(error);

    // WHEN / THEN
    await expect(addToWindow(TABLE, PRINCIPAL, entry(0), 6.12, NOW)).rejects.toBe(error);
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test('detection ids the catalog no longer knows are left out of the window', async () => {
    // GIVEN
    const item = { ...stored(entry(0).eventTime, 2), detections: { SS: ['ec2-instance-launch', 'retired-detection'] } };
    dynamo.on(UpdateItemCommand).resolves({ Attributes: item });

    // WHEN
    const { window } = await addToWindow(TABLE, PRINCIPAL, entry(1), 6.12, NOW);

    // THEN
    expect(window.detections).toEqual(['ec2-instance-launch']);
  });
});

describe('takeClosedWindows', () => {
  test('scans every page for storm windows and takes each closed one out, on the condition it was not restarted', async () => {
    // GIVEN one closed and one open window on the first page, another closed one on the second
    const closedA = stored('2026-11-20T03:00:00.000Z', 4, [], 'user/a');
    const open = stored('2026-11-20T03:10:00.000Z', 2, [], 'user/b');
    const closedC = stored('2026-11-20T02:00:00.000Z', 9, [], 'role/c');
    dynamo.on(ScanCommand)
      .resolvesOnce({ Items: [closedA, open], LastEvaluatedKey: { id: { S: 'storm#user/b' } } })
      .resolvesOnce({ Items: [closedC] });
    dynamo.on(DeleteItemCommand, { Key: { id: { S: 'storm#user/a' } } }).resolves({ Attributes: closedA });
    dynamo.on(DeleteItemCommand, { Key: { id: { S: 'storm#role/c' } } }).resolves({ Attributes: closedC });

    // WHEN
    const windows = await takeClosedWindows(TABLE, NOW);

    // THEN
    expect(windows.map((w) => [w.principal, w.count])).toEqual([['user/a', 4], ['role/c', 9]]);
    expect(dynamo.commandCalls(ScanCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        FilterExpression: 'begins_with(id, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: 'storm#' } },
        ExclusiveStartKey: undefined,
      },
      {
        TableName: TABLE,
        FilterExpression: 'begins_with(id, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: 'storm#' } },
        ExclusiveStartKey: { id: { S: 'storm#user/b' } },
      },
    ]);
    expect(dynamo.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: { id: { S: 'storm#user/a' } },
        ConditionExpression: 'windowStart = :start',
        ExpressionAttributeValues: { ':start': { S: '2026-11-20T03:00:00.000Z' } },
        ReturnValues: 'ALL_OLD',
      },
      {
        TableName: TABLE,
        Key: { id: { S: 'storm#role/c' } },
        ConditionExpression: 'windowStart = :start',
        ExpressionAttributeValues: { ':start': { S: '2026-11-20T02:00:00.000Z' } },
        ReturnValues: 'ALL_OLD',
      },
    ]);
    expect(await regionOf(dynamo.commandCalls(ScanCommand)[0])).toBe('eu-north-1');
  });

  test('a window exactly five minutes old is closed', async () => {
    // GIVEN
    const edge = stored('2026-11-20T03:07:08.000Z', 2);
    dynamo.on(ScanCommand).resolves({ Items: [edge] });
    dynamo.on(DeleteItemCommand).resolves({ Attributes: edge });

    // WHEN / THEN
    expect(await takeClosedWindows(TABLE, NOW)).toHaveLength(1);
  });

  test('a window a new detection restarted in the meantime is left to that detection, and the others are still taken', async () => {
    // GIVEN
    const raced = stored('2026-11-20T03:00:00.000Z', 4, [], 'user/a');
    const closed = stored('2026-11-20T03:01:00.000Z', 3, [], 'user/b');
    dynamo.on(ScanCommand).resolves({ Items: [raced, closed] });
    dynamo.on(DeleteItemCommand, { Key: { id: { S: 'storm#user/a' } } }).rejects(CONDITION_FAILED);
    dynamo.on(DeleteItemCommand, { Key: { id: { S: 'storm#user/b' } } }).resolves({ Attributes: closed });

    // WHEN
    const windows = await takeClosedWindows(TABLE, NOW);

    // THEN
    expect(windows.map((w) => w.principal)).toEqual(['user/b']);
  });

  test('a window already gone when deleted is not summarised', async () => {
    // GIVEN
    dynamo.on(ScanCommand).resolves({ Items: [stored('2026-11-20T03:00:00.000Z', 4)] });
    dynamo.on(DeleteItemCommand).resolves({});

    // WHEN / THEN
    expect(await takeClosedWindows(TABLE, NOW)).toEqual([]);
  });

  test('no windows, no deletes', async () => {
    // GIVEN
    dynamo.on(ScanCommand).resolves({ Items: [] });

    // WHEN
    const windows = await takeClosedWindows(TABLE, NOW);

    // THEN
    expect(windows).toEqual([]);
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test.each([
    ['the scan', ScanCommand],
    ['a delete', DeleteItemCommand],
  ] as const)('throws when %s fails for another reason than a race', async (_, command) => {
    // GIVEN
    const denied = awsError('AccessDeniedException', 'User is not authorized');
    dynamo.on(ScanCommand).resolves({ Items: [stored('2026-11-20T03:00:00.000Z', 4)] });
    dynamo.on(command as typeof ScanCommand).rejects(denied);

    // WHEN / THEN
    await expect(takeClosedWindows(TABLE, NOW)).rejects.toBe(denied);
  });
});
