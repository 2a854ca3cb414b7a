/** Finds CloudTrail records in whatever carries them: an EventBridge event, a bare record, or S3's `{"Records": [...]}`. */
import { fieldAt, isObject, stringAt } from './event-fields';

/** The fields of a CloudTrail record the evaluators read. Everything else stays in `raw`. */
export interface CloudTrailRecord {
  readonly eventId: string;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly region: string;
  readonly account: string;
  readonly errorCode?: string;
  readonly principalArn: string;
  /** The role behind a role session, with its path (`userIdentity.sessionContext.sessionIssuer.arn`). */
  readonly sessionIssuerArn?: string;
  readonly principalType: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** The AWS service that made the call on the principal's behalf, e.g. `cloudformation.amazonaws.com`. */
  readonly invokedBy?: string;
  readonly request: unknown;
  readonly response: unknown;
  readonly raw: Record<string, unknown>;
}

/** Whether a value looks like a CloudTrail record. */
export function isCloudTrailRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.eventName === 'string' && typeof value.eventSource === 'string';
}

/** The record inside an EventBridge `AWS API Call via CloudTrail` event, or the value itself when it is a record. */
export function unwrapRecord(event: unknown): unknown {
  const detail = fieldAt(event, 'detail');
  return isObject(event) && typeof event['detail-type'] === 'string' && isCloudTrailRecord(detail) ? detail : event;
}

/** Every record a parsed JSON value holds: an S3 log file's `Records`, an EventBridge event, or one record. */
export function recordsIn(value: unknown): unknown[] {
  const records = fieldAt(value, 'Records');
  return Array.isArray(records) ? records : [unwrapRecord(value)];
}

/** Reads a record's fields (unwrapping an EventBridge event), or returns why it cannot be judged. */
export function readRecord(event: unknown): CloudTrailRecord | string {
  const value = unwrapRecord(event);
  if (!isCloudTrailRecord(value)) return 'not a CloudTrail record (no eventName and eventSource)';
  const eventId = stringAt(value, 'eventID');
  const eventTime = stringAt(value, 'eventTime');
  if (!eventId || !eventTime) return 'CloudTrail record without eventID or eventTime';
  const principalArn = stringAt(value, 'userIdentity.arn')
    ?? stringAt(value, 'userIdentity.sessionContext.sessionIssuer.arn')
    ?? stringAt(value, 'userIdentity.invokedBy')
    ?? stringAt(value, 'userIdentity.principalId')
    ?? 'unknown principal';
  return {
    eventId,
    eventTime,
    eventSource: value.eventSource as string,
    eventName: value.eventName as string,
    region: stringAt(value, 'awsRegion') ?? 'unknown-region',
    account: stringAt(value, 'recipientAccountId') ?? stringAt(value, 'userIdentity.accountId') ?? 'unknown account',
    errorCode: stringAt(value, 'errorCode'),
    principalArn,
    sessionIssuerArn: stringAt(value, 'userIdentity.sessionContext.sessionIssuer.arn'),
    principalType: stringAt(value, 'userIdentity.type') ?? 'Unknown',
    sourceIp: stringAt(value, 'sourceIPAddress'),
    userAgent: stringAt(value, 'userAgent'),
    invokedBy: stringAt(value, 'userIdentity.invokedBy'),
    request: fieldAt(value, 'requestParameters') ?? {},
    response: fieldAt(value, 'responseElements') ?? {},
    raw: value,
  };
}

/** A short name for a principal ARN: `user/ci-bot`, `role/deployer`, `root`. */
export function principalName(arn: string): string {
  const assumed = /:assumed-role\/([^/]+)\//.exec(arn);
  if (assumed) return `role/${assumed[1]}`;
  if (/:root$/.test(arn)) return 'root';
  const resource = /:(?:iam|sts)::\d*:(.+)$/.exec(arn);
  return resource ? resource[1] : arn;
}
