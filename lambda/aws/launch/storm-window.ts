/**
 * Keeps each principal's storm window in the idempotency table. Conditional writes decide which detection opens a
 * window (so concurrent containers send one first alert), count each eventID once (a marker item per event, written
 * in the same transaction as the count), and hand a closed window to exactly one publisher, which deletes it only
 * after its summary was published.
 */
import type { AttributeValue, DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { findDetection } from '../../../lib/catalog';
import { StormEntry, StormWindow, STORM_FAILURES_LISTED, STORM_SAMPLE_SIZE, windowClosed } from '../../core/launch/storm';
import { regionalClient } from '../clients/regional-client';

const KEY_PREFIX = 'storm#';
const EVENT_PREFIX = 'storm-event#';
/** How long a publisher holds a closed window before another may take it over (its publish failed or timed out). */
const CLAIM_MS = 60_000;
/** How long to wait for another publisher to finish with a closed window, and how often. */
const WAIT_MS = 250;
const ATTEMPTS = 8;
/** A day: longer than any window, its flush and the log group's delivery delay. */
const TTL_SECONDS = 24 * 3600;

type Sdk = typeof import('@aws-sdk/client-dynamodb');

async function dynamo(): Promise<{ sdk: Sdk; client: DynamoDBClient }> {
  const sdk = await import('@aws-sdk/client-dynamodb');
  return { sdk, client: regionalClient('dynamodb', process.env.AWS_REGION ?? 'us-east-1', (c) => new sdk.DynamoDBClient(c)) };
}

function toWindow(item: Record<string, AttributeValue>): StormWindow {
  return {
    principal: item.principal?.S ?? '',
    windowStart: item.windowStart?.S ?? '',
    count: Number(item.detectionCount?.N ?? 0),
    usdPerHour: Number(item.usdPerHour?.N ?? 0),
    regions: item.regions?.SS ?? [],
    detections: (item.detections?.SS ?? []).flatMap((id) => findDetection(id)?.id ?? []),
    entries: (item.entries?.L ?? []).map((e) => JSON.parse(e.S ?? '{}') as StormEntry),
    steps: Number(item.steps?.N ?? 0),
    failedSteps: Number(item.failedSteps?.N ?? 0),
    failures: (item.failures?.L ?? []).map((f) => f.S ?? ''),
  };
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error).name === 'ConditionalCheckFailedException';
}

/** Which items of a cancelled transaction failed their condition, by position. */
function failedConditions(error: unknown): boolean[] | undefined {
  if ((error as Error).name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  // Without reasons, a condition failure cannot be placed: every item counts as possibly failed, and is read again.
  return reasons?.map((r) => r.Code === 'ConditionalCheckFailed') ?? [true, true];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The open window this container last joined, per table and principal, and how many entries it listed: a burst's
 * detections then join it without reading it first. The join's condition still checks it, and a stale one is read again.
 */
const knownWindows = new Map<string, { readonly windowStart: string; listed: number }>();

/** Where a detection stands in its principal's window. */
export interface Admission {
  /** `first` opened the window and alerts on its own; `folded` goes into the window's summary. */
  readonly role: 'first' | 'folded';
  readonly windowStart: string;
  /** For a first detection seen before (a retry): whether its alert was already published. */
  readonly alerted: boolean;
}

/** Publishes a closed window's summary; throws when it could not. */
export type PublishWindow = (window: StormWindow) => Promise<void>;

/**
 * Adds a detection to its principal's window, once per eventID, timed by `arrived` (when the detection reached the
 * evaluator, not when its record was written). A closed window in the way is published through `publishClosed`
 * before it is deleted, and a new window is opened. A detection seen before keeps the role it was given then.
 */
export async function admitToWindow(
  table: string, principal: string, entry: StormEntry, usdPerHour: number, arrived: Date, publishClosed: PublishWindow,
): Promise<Admission> {
  const { sdk, client } = await dynamo();
  const key = { id: { S: `${KEY_PREFIX}${principal}` } };
  const marker = { id: { S: `${EVENT_PREFIX}${entry.eventId}` } };
  const ttl = { N: String(Math.floor(arrived.getTime() / 1000) + TTL_SECONDS) };
  const seenBefore = async (): Promise<Admission | undefined> => {
    const out = await client.send(new sdk.GetItemCommand({ TableName: table, Key: marker, ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { role: out.Item.role?.S === 'first' ? 'first' : 'folded', windowStart: out.Item.windowStart?.S ?? '', alerted: out.Item.alerted?.BOOL === true };
  };
  const putMarker = (role: Admission['role'], windowStart: string): TransactWriteItem => ({
    Put: {
      TableName: table,
      Item: { ...marker, principal: { S: principal }, role: { S: role }, windowStart: { S: windowStart }, expiration: ttl },
      ConditionExpression: 'attribute_not_exists(id)',
    },
  });

  const known = `${table}\n${principal}`;
  const join = (windowStart: string): TransactWriteItem[] => [{
    Update: {
      TableName: table,
      Key: key,
      // The same window, still open and not being published: a window restarted meanwhile is read again.
      ConditionExpression: 'windowStart = :start AND attribute_not_exists(claimedUntil)',
      UpdateExpression: 'SET expiration = :ttl ADD detectionCount :one, usdPerHour :usd, regions :region, detections :detection',
      ExpressionAttributeValues: {
        ':start': { S: windowStart },
        ':ttl': ttl,
        ':one': { N: '1' },
        ':usd': { N: String(usdPerHour) },
        ':region': { SS: [entry.region] },
        ':detection': { SS: [entry.detection] },
      },
    },
  }, putMarker('folded', windowStart)];

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const cached = knownWindows.get(known);
    const current = cached && !windowClosed(cached.windowStart, arrived)
      ? undefined
      : (await client.send(new sdk.GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    let items: TransactWriteItem[];
    let role: Admission['role'];
    let windowStart: string;
    let listed = 0;
    if (cached && !current && !windowClosed(cached.windowStart, arrived)) {
      role = 'folded';
      windowStart = cached.windowStart;
      listed = cached.listed;
      items = join(windowStart);
    } else if (!current) {
      role = 'first';
      windowStart = arrived.toISOString();
      items = [{
        Put: {
          TableName: table,
          Item: {
            ...key,
            principal: { S: principal },
            windowStart: { S: windowStart },
            firstEventId: { S: entry.eventId },
            detectionCount: { N: '1' },
            usdPerHour: { N: String(usdPerHour) },
            regions: { SS: [entry.region] },
            detections: { SS: [entry.detection] },
            entries: { L: [{ S: JSON.stringify(entry) }] },
            expiration: ttl,
          },
          ConditionExpression: 'attribute_not_exists(id)',
        },
      }, putMarker(role, windowStart)];
    } else {
      const window = toWindow(current);
      const claimed = Number(current.claimedUntil?.N ?? 0) > Date.now();
      if (claimed) {
        // Another invocation is publishing this closed window's summary: it deletes the window when done.
        await sleep(WAIT_MS);
        continue;
      }
      if (windowClosed(window.windowStart, arrived)) {
        await flushWindow(table, window, publishClosed);
        continue;
      }
      role = 'folded';
      windowStart = window.windowStart;
      listed = window.entries.length;
      items = join(windowStart);
    }
    try {
      await client.send(new sdk.TransactWriteItemsCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed) throw error;
      // Counted before (a retry, or the other delivery path): the role it was given then stands.
      const before = failed[1] ? await seenBefore() : undefined;
      if (before) return before;
      knownWindows.delete(known);
      continue;
    }
    if (role === 'folded' && listed < STORM_SAMPLE_SIZE) {
      await listEntry(client, sdk, table, key, windowStart, entry);
    }
    knownWindows.set(known, { windowStart, listed: role === 'first' ? 1 : listed + 1 });
    return { role, windowStart, alerted: false };
  }
  throw new Error(`storm window of ${principal} kept changing under concurrent updates`);
}

/** Lists a folded detection in its window while the sample has room; a full sample only counts it. */
async function listEntry(
  client: DynamoDBClient, sdk: Sdk, table: string, key: Record<string, AttributeValue>, windowStart: string, entry: StormEntry,
): Promise<void> {
  try {
    await client.send(new sdk.UpdateItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: 'windowStart = :start AND size(entries) < :cap',
      UpdateExpression: 'SET entries = list_append(entries, :entry)',
      ExpressionAttributeValues: { ':start': { S: windowStart }, ':cap': { N: String(STORM_SAMPLE_SIZE) }, ':entry': { L: [{ S: JSON.stringify(entry) }] } },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Records that a first detection's alert was published, so a retry of the event does not publish it again. */
export async function markFirstAlerted(table: string, eventId: string): Promise<void> {
  const { sdk, client } = await dynamo();
  await client.send(new sdk.UpdateItemCommand({
    TableName: table,
    Key: { id: { S: `${EVENT_PREFIX}${eventId}` } },
    UpdateExpression: 'SET alerted = :yes',
    ExpressionAttributeValues: { ':yes': { BOOL: true } },
  }));
}

/**
 * Adds a folded detection's containment outcome to its window: the steps are counted, the first failures kept word
 * for word. Returns false when the window is no longer open to it (published meanwhile): the caller alerts the
 * failures on their own, so none is left only in the logs.
 */
export async function recordOutcome(
  table: string, principal: string, windowStart: string, steps: number, failures: readonly string[],
): Promise<boolean> {
  const { sdk, client } = await dynamo();
  const key = { id: { S: `${KEY_PREFIX}${principal}` } };
  try {
    await client.send(new sdk.UpdateItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: 'windowStart = :start AND attribute_not_exists(claimedUntil)',
      UpdateExpression: 'ADD steps :steps, failedSteps :failed',
      ExpressionAttributeValues: { ':start': { S: windowStart }, ':steps': { N: String(steps) }, ':failed': { N: String(failures.length) } },
    }));
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  if (failures.length === 0) return true;
  try {
    await client.send(new sdk.UpdateItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: 'windowStart = :start AND (attribute_not_exists(failures) OR size(failures) < :cap)',
      UpdateExpression: 'SET failures = list_append(if_not_exists(failures, :empty), :lines)',
      ExpressionAttributeValues: {
        ':start': { S: windowStart },
        ':cap': { N: String(STORM_FAILURES_LISTED) },
        ':empty': { L: [] },
        ':lines': { L: failures.slice(0, STORM_FAILURES_LISTED).map((f) => ({ S: f })) },
      },
    }));
  } catch (error) {
    // The list is full: these failures are counted, and the summary says how many are not listed.
    if (!isConditionFailure(error)) throw error;
  }
  return true;
}

/** Every storm window closed at `now`, as the table holds it; `flushWindow` publishes and deletes each. */
export async function closedWindows(table: string, now: Date): Promise<StormWindow[]> {
  const { sdk, client } = await dynamo();
  const closed: StormWindow[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new sdk.ScanCommand({
      TableName: table,
      FilterExpression: 'begins_with(id, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: KEY_PREFIX } },
      ExclusiveStartKey: start,
    }));
    for (const item of page.Items ?? []) {
      const window = toWindow(item);
      if (windowClosed(window.windowStart, now)) closed.push(window);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return closed;
}

/**
 * Publishes a closed window's summary, then deletes the window. The window is claimed first by a conditional write,
 * so a concurrent flush or detection does not publish it twice; the publish reads the window as claimed (with every
 * outcome recorded until then); the delete is conditional on the claim, and a failed publish releases the claim and
 * throws, so the window stays for the next flush. Returns whether this call published it.
 */
export async function flushWindow(table: string, window: StormWindow, publish: PublishWindow): Promise<boolean> {
  const { sdk, client } = await dynamo();
  const key = { id: { S: `${KEY_PREFIX}${window.principal}` } };
  const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  let claimed: StormWindow;
  try {
    const out = await client.send(new sdk.UpdateItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: 'windowStart = :start AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
      UpdateExpression: 'SET claimedUntil = :until, claimToken = :token',
      ExpressionAttributeValues: {
        ':start': { S: window.windowStart },
        ':now': { N: String(Date.now()) },
        ':until': { N: String(Date.now() + CLAIM_MS) },
        ':token': { S: token },
      },
      ReturnValues: 'ALL_NEW',
    }));
    claimed = toWindow(out.Attributes ?? {});
  } catch (error) {
    // Another flush or detection holds it, or it was published and a new window started meanwhile.
    if (isConditionFailure(error)) return false;
    throw error;
  }
  const ours = { ':token': { S: token } };
  try {
    await publish(claimed);
  } catch (error) {
    await client.send(new sdk.UpdateItemCommand({
      TableName: table, Key: key, ConditionExpression: 'claimToken = :token', UpdateExpression: 'REMOVE claimedUntil, claimToken', ExpressionAttributeValues: ours,
    })).catch(() => undefined);
    throw error;
  }
  try {
    await client.send(new sdk.DeleteItemCommand({ TableName: table, Key: key, ConditionExpression: 'claimToken = :token', ExpressionAttributeValues: ours }));
  } catch (error) {
    // Our claim ran out and another publisher took the window over: it deletes it.
    if (!isConditionFailure(error)) throw error;
  }
  return true;
}
