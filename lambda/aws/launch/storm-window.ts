/** Keeps each principal's storm window in the idempotency table, and flushes closed windows into summary alerts. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { findDetection } from '../../../lib/catalog';
import { StormEntry, StormWindow, STORM_SAMPLE_SIZE, STORM_WINDOW_MS, windowClosed } from '../../core/launch/storm';
import { regionalClient } from '../clients/regional-client';

const KEY_PREFIX = 'storm#';

async function dynamo() {
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
  };
}

/**
 * Adds a detection to its principal's window and returns the window as it is now; a window that closed is returned
 * in `closed` (for its summary) and a new one is started with this detection.
 */
export async function addToWindow(
  table: string, principal: string, entry: StormEntry, usdPerHour: number, now: Date,
): Promise<{ window: StormWindow; closed?: StormWindow }> {
  const { sdk, client } = await dynamo();
  const key = { id: { S: `${KEY_PREFIX}${principal}` } };
  const floor = new Date(now.getTime() - STORM_WINDOW_MS).toISOString();
  let closed: StormWindow | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const out = await client.send(new sdk.UpdateItemCommand({
        TableName: table,
        Key: key,
        ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart > :floor',
        UpdateExpression: 'SET windowStart = if_not_exists(windowStart, :now), principal = :principal, expiration = :ttl '
          + 'ADD detectionCount :one, usdPerHour :usd, regions :region, detections :detection',
        ExpressionAttributeValues: {
          ':floor': { S: floor },
          ':now': { S: entry.eventTime },
          ':principal': { S: principal },
          ':ttl': { N: String(Math.floor(now.getTime() / 1000) + 24 * 3600) },
          ':one': { N: '1' },
          ':usd': { N: String(usdPerHour) },
          ':region': { SS: [entry.region] },
          ':detection': { SS: [entry.detection] },
        },
        ReturnValues: 'ALL_NEW',
      }));
      const window = toWindow(out.Attributes ?? {});
      if (window.count <= STORM_SAMPLE_SIZE) {
        await client.send(new sdk.UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :empty), :entry)',
          ExpressionAttributeValues: { ':empty': { L: [] }, ':entry': { L: [{ S: JSON.stringify(entry) }] } },
        }));
      }
      return { window: { ...window, entries: [...window.entries, ...(window.count <= STORM_SAMPLE_SIZE ? [entry] : [])] }, closed };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      // The principal's window closed and was not flushed yet: take it over, so its summary is sent once.
      const taken = await client.send(new sdk.DeleteItemCommand({ TableName: table, Key: key, ReturnValues: 'ALL_OLD' }));
      if (taken.Attributes) closed = toWindow(taken.Attributes);
    }
  }
  throw new Error(`storm window of ${principal} kept changing under concurrent updates`);
}

/** Takes every window closed at `now` out of the table, so each summary is sent by exactly one flush. */
export async function takeClosedWindows(table: string, now: Date): Promise<StormWindow[]> {
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
      if (!windowClosed(window.windowStart, now)) continue;
      try {
        const taken = await client.send(new sdk.DeleteItemCommand({
          TableName: table,
          Key: { id: item.id },
          ConditionExpression: 'windowStart = :start',
          ExpressionAttributeValues: { ':start': { S: window.windowStart } },
          ReturnValues: 'ALL_OLD',
        }));
        if (taken.Attributes) closed.push(toWindow(taken.Attributes));
      } catch (error) {
        // Taken over by a detection that started a new window: that invocation sends the summary.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return closed;
}
