/** Judges the guard's functions: no recent error, and an empty dead-letter queue. */
import { Check, fail, pass } from './check';

/** The hours of errors the doctor looks back over. */
export const ERROR_WINDOW_HOURS = 24;

/** The check of a function's Errors metric summed over the window (CloudWatch GetMetricData, `AWS/Lambda` Errors). */
export function judgeFunctionErrors(functionName: string, errors: readonly number[]): Check {
  const name = `function ${functionName} errors`;
  const total = errors.filter((n) => typeof n === 'number' && Number.isFinite(n)).reduce((a, b) => a + b, 0);
  return total === 0
    ? pass(name, `no error in the last ${ERROR_WINDOW_HOURS} h`)
    : fail(name, `${total} error${total === 1 ? '' : 's'} in the last ${ERROR_WINDOW_HOURS} h`,
      `read the function's log group (/aws/lambda/${functionName}) for the errors, and fix their cause`);
}

/** The check of a dead-letter queue's ApproximateNumberOfMessages (SQS GetQueueAttributes, a string). */
export function judgeDeadLetterQueue(queue: string, approximateNumberOfMessages: unknown): Check {
  const name = `dead-letter queue ${queue}`;
  const count = typeof approximateNumberOfMessages === 'string' ? Number(approximateNumberOfMessages) : NaN;
  if (!Number.isInteger(count)) return fail(name, `SQS gave no message count (${String(approximateNumberOfMessages)})`, 'check the queue exists and run the doctor again');
  return count === 0
    ? pass(name, 'empty')
    : fail(name, `${count} message${count === 1 ? '' : 's'} that could not be delivered or handled: each is an event the guard did not act on`,
      'read the messages (aws sqs receive-message --queue-url ...) to see what failed, fix the cause, then purge or redrive them');
}
