import { AttributeValue, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { inMemoryIdempotencyTable } from '../../../harness/idempotency-table';
import { awsError, clockAt, freshModule, regionOf } from '../../../harness/mocked-aws';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'mining-guard-idempotency';
const EVALUATOR = 'mining-guard-launch-evaluator';
const NOTIFIER = 'mining-guard-notifier';
/** The invocation's context, as Lambda passes it and the launch evaluator hands it on. */
const CONTEXT = { getRemainingTimeInMillis: () => 30_000 } as Context;

/** The in-memory table's records, by key. */
let records: Map<string, Record<string, AttributeValue>>;

/** A fresh container's onceFor. */
const load = async () => (await freshModule(() => import('../../../../lambda/aws/alerts/once-per-event'))).onceFor;

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-west-1' }));
afterEach(() => jest.useRealTimers());
beforeEach(() => {
  dynamo.reset();
  records = inMemoryIdempotencyTable(dynamo);
});

describe('onceFor', () => {
  test('without a table, the work runs every time and nothing is stored', async () => {
    // GIVEN
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    const runs = [await onceFor(undefined, EVALUATOR, 'event-1', work), await onceFor(undefined, EVALUATOR, 'event-1', work)];

    // THEN
    expect(runs).toEqual([true, true]);
    expect(work).toHaveBeenCalledTimes(2);
    expect(dynamo.calls()).toHaveLength(0);
  });

  test('runs the work for an event once: a second delivery of the same event id does not run it', async () => {
    // GIVEN
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    const first = await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);
    const again = await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);

    // THEN
    expect([first, again]).toEqual([true, false]);
    expect(work).toHaveBeenCalledTimes(1);
    const [put] = dynamo.commandCalls(PutItemCommand);
    expect(put.args[0].input).toMatchObject({ TableName: TABLE, Item: { status: { S: 'INPROGRESS' } } });
    expect(await regionOf(put)).toBe('eu-west-1');
    expect([...records.values()].map((r) => r.status.S)).toEqual(['COMPLETED']);
  });

  test('remembers an event for a day', async () => {
    // GIVEN
    clockAt('2026-11-20T03:12:08.000Z');
    const onceFor = await load();

    // WHEN
    await onceFor(TABLE, EVALUATOR, 'event-1', async () => undefined, CONTEXT);

    // THEN
    const item = dynamo.commandCalls(PutItemCommand)[0].args[0].input.Item!;
    expect(Number(item.expiration.N)).toBe(Date.parse('2026-11-21T03:12:08.000Z') / 1000);
  });

  test('different events each run their work, under their own keys', async () => {
    // GIVEN
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    const runs = [await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT), await onceFor(TABLE, EVALUATOR, 'event-2', work, CONTEXT)];

    // THEN
    expect(runs).toEqual([true, true]);
    expect(work).toHaveBeenCalledTimes(2);
    expect(records.size).toBe(2);
  });

  test('two handlers sharing the table each run their work once for the same event, under keys that cannot collide', async () => {
    // GIVEN the launch evaluator and the notifier in one table, as LaunchWatch wires them
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN both see the same event twice
    const runs = [];
    for (const prefix of [EVALUATOR, NOTIFIER, EVALUATOR, NOTIFIER]) runs.push(await onceFor(TABLE, prefix, 'event-1', work, CONTEXT));

    // THEN each acted once, and each key starts with its handler's name
    expect(runs).toEqual([true, true, false, false]);
    expect([...records.keys()].map((k) => k.split('#')[0]).sort()).toEqual([EVALUATOR, NOTIFIER]);
  });

  test('an event another invocation is handling right now is left to it (IdempotencyAlreadyInProgressError means false)', async () => {
    // GIVEN an invocation whose work is still running when a second delivery of its event arrives
    const onceFor = await load();
    const second = jest.fn().mockResolvedValue(undefined);
    let secondRan: boolean | undefined;

    // WHEN
    const firstRan = await onceFor(TABLE, EVALUATOR, 'event-1', async () => {
      secondRan = await onceFor(TABLE, EVALUATOR, 'event-1', second, CONTEXT);
    }, CONTEXT);

    // THEN
    expect(firstRan).toBe(true);
    expect(secondRan).toBe(false);
    expect(second).not.toHaveBeenCalled();
  });

  test('work that fails is not remembered: the error is thrown, and a retry of the event runs the work again', async () => {
    // GIVEN
    const onceFor = await load();
    const failure = awsError('ThrottlingException', 'Rate exceeded');
    const work = jest.fn().mockRejectedValueOnce(failure).mockResolvedValue(undefined);

    // WHEN
    const failed = onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);

    // THEN
    await expect(failed).rejects.toBe(failure);
    expect(records.size).toBe(0);
    expect(await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT)).toBe(true);
    expect(work).toHaveBeenCalledTimes(2);
  });

  test.each([
    ['refuses', awsError('AccessDeniedException', 'User is not authorized to perform: dynamodb:PutItem')],
    ['is missing', awsError('ResourceNotFoundException', 'Requested resource not found')],
  ])('a table DynamoDB %s never blocks the work: it runs, told that duplicates were not suppressed and why', async (_, error) => {
    // GIVEN
    dynamo.on(PutItemCommand).rejects(error);
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    const ran = await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);

    // THEN
    expect(ran).toBe(true);
    expect(work).toHaveBeenCalledTimes(1);
    expect(work).toHaveBeenCalledWith({ suppressed: false, reason: `${error.name}: ${error.message}` });
  });

  test('with an unreachable table, the work\'s own failure is still thrown, so the invocation is retried', async () => {
    // GIVEN
    dynamo.on(PutItemCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));
    const onceFor = await load();
    const failure = awsError('ThrottlingException', 'Rate exceeded');

    // WHEN / THEN
    await expect(onceFor(TABLE, EVALUATOR, 'event-1', jest.fn().mockRejectedValue(failure), CONTEXT)).rejects.toBe(failure);
  });

  test('work that was done, whose record could not be saved afterwards, counts as run and is not run again', async () => {
    // GIVEN a table that takes the in-progress record, then refuses to complete it
    dynamo.on(UpdateItemCommand).rejects(awsError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.'));
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    const ran = await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);

    // THEN
    expect(ran).toBe(true);
    expect(work).toHaveBeenCalledTimes(1);
    expect(work).toHaveBeenCalledWith({ suppressed: true });
  });

  test('the work is told when duplicates are suppressed, and when there is no table to suppress them', async () => {
    // GIVEN
    const onceFor = await load();
    const work = jest.fn().mockResolvedValue(undefined);

    // WHEN
    await onceFor(TABLE, EVALUATOR, 'event-1', work, CONTEXT);
    await onceFor(undefined, EVALUATOR, 'event-1', work);

    // THEN
    expect(work.mock.calls).toEqual([[{ suppressed: true }], [{ suppressed: false }]]);
  });

  test('with the invocation\'s context, the in-progress record expires with the invocation\'s deadline', async () => {
    // GIVEN 30 seconds left of the invocation
    clockAt('2026-11-20T03:12:08.000Z');
    const onceFor = await load();

    // WHEN
    await onceFor(TABLE, EVALUATOR, 'event-1', async () => undefined, CONTEXT);

    // THEN
    const item = dynamo.commandCalls(PutItemCommand)[0].args[0].input.Item!;
    expect(Number(item.in_progress_expiration.N)).toBe(Date.parse('2026-11-20T03:12:38.000Z'));
  });
});
