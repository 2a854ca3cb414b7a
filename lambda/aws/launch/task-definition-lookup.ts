/**
 * The size of the ECS tasks a call runs, asked in the event's region: ECS DescribeTaskDefinition for the definition
 * the call names, read as the RegisterTaskDefinition record would be.
 */
import { parseTaskDefinition, taskDefinitionKey, TaskSizeAnswer, taskSizeOf } from '../../core/launch/task-size';
import { errorText } from '../clients/error-text';
import { accountCacheKey } from '../clients/event-account';
import { eventClient } from '../clients/regional-client';

/**
 * A revision never changes, so its answer is kept for the container's life; a bare family means its latest revision,
 * which a new registration moves, so its answer is kept for a minute: enough for a burst of services to ask once.
 */
const answers = new Map<string, { readonly answer: TaskSizeAnswer; readonly until: number }>();
const LATEST_REVISION_TTL_MS = 60_000;

/**
 * The size of one task of `taskDefinition` (ARN, `family:revision` or family). A failed call, after the SDK's own
 * retries, is not kept: its answer says why, and the alert reports the vCPUs as unknown.
 */
export async function lookUpTaskSize(region: string, taskDefinition: string, now = Date.now()): Promise<TaskSizeAnswer> {
  const name = parseTaskDefinition(taskDefinition);
  if (!name) return { unknown: 'not a task definition name ECS accepts' };
  const key = `${accountCacheKey()}${region}|${taskDefinitionKey(name)}`;
  const cached = answers.get(key);
  if (cached && cached.until > now) return cached.answer;
  let answer: TaskSizeAnswer;
  try {
    const sdk = await import('@aws-sdk/client-ecs');
    const client = eventClient('ecs', region, (c) => new sdk.ECSClient(c));
    // The name as parsed, never the raw text: an ARN's region and account are the event's to choose, not the record's.
    const out = await client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionKey(name) }));
    const size = taskSizeOf(out.taskDefinition);
    answer = size ? { size } : { unknown: 'ECS answered without the task definition' };
  } catch (error) {
    return { unknown: `ECS DescribeTaskDefinition failed: ${errorText(error)}` };
  }
  answers.set(key, { answer, until: name.revision === undefined ? now + LATEST_REVISION_TTL_MS : Infinity });
  return answer;
}
