/**
 * The idempotency table, kept in memory behind a mocked DynamoDB client: PutItem honours Powertools' condition (no
 * record, or an expired or abandoned one), as DynamoDB would, so a second invocation sees what the first one left.
 */
import {
  AttributeValue, ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClientResolvedConfig, GetItemCommand, PutItemCommand,
  PutItemCommandInput, ServiceInputTypes, ServiceOutputTypes, UpdateItemCommand, UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

type DynamoStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBClientResolvedConfig>;

function keyOf(key: Record<string, AttributeValue> | undefined): string {
  return key!.id.S!;
}

/** Makes the mocked client a table; returns its records by key, cleared on every call. */
export function inMemoryIdempotencyTable(dynamo: DynamoStub): Map<string, Record<string, AttributeValue>> {
  const records = new Map<string, Record<string, AttributeValue>>();
  const putItem = (input: PutItemCommandInput) => {
    const existing = records.get(keyOf(input.Item));
    const expired = existing && Number(existing.expiration.N) < Date.now() / 1000;
    const abandoned = existing?.status.S === 'INPROGRESS' && existing.in_progress_expiration && Number(existing.in_progress_expiration.N) < Date.now();
    if (existing && !expired && !abandoned) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 }, Item: existing });
    }
    records.set(keyOf(input.Item), input.Item!);
    return {};
  };
  const updateItem = (input: UpdateItemCommandInput) => {
    const item = { ...records.get(keyOf(input.Key)) };
    for (const [, name, value] of input.UpdateExpression!.matchAll(/(#\w+) = (:\w+)/g)) {
      item[input.ExpressionAttributeNames![name]] = input.ExpressionAttributeValues![value];
    }
    records.set(keyOf(input.Key), item);
    return {};
  };
  dynamo.on(PutItemCommand).callsFake(putItem);
  dynamo.on(UpdateItemCommand).callsFake(updateItem);
  dynamo.on(GetItemCommand).callsFake((input) => ({ Item: records.get(keyOf(input.Key)) }));
  dynamo.on(DeleteItemCommand).callsFake((input) => {
    records.delete(keyOf(input.Key));
    return {};
  });
  return records;
}
