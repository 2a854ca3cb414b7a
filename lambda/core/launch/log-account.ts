/**
 * Which account a replayed record is about: the `recipientAccountId` the record itself holds, or, when it holds none,
 * the account whose folder CloudTrail delivered its log file to.
 *
 * The record wins: it is what CloudTrail wrote, what the deployed guard judges (the EventBridge event and the log
 * group line carry it), and what log-file validation signs, while a folder is only where somebody keeps a file, and
 * files are copied, synced and renamed. A record in another account's folder is counted under its own account, and
 * the replay names the file.
 */
import { unwrapRecord } from '../events/cloudtrail-record';
import { stringAt } from '../events/event-fields';

/**
 * The account part of CloudTrail's delivery path: `AWSLogs/<account>/CloudTrail/...` for a trail of one account,
 * `AWSLogs/<organization id>/<account>/CloudTrail/...` for an organization trail.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */
const DELIVERY_FOLDER = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(\d{12})\/CloudTrail\//;

/** CloudTrail's name of a log file, `<account>_CloudTrail_<region>_<time>_<unique>.json.gz`, for a file kept outside its folders. */
const DELIVERY_NAME = /(?:^|\/)(\d{12})_CloudTrail_[^/]*$/;

/** An AWS account id. */
const ACCOUNT_ID = /^\d{12}$/;

/** The account of a record that neither names one nor sits in an account's folder. */
export const UNKNOWN_ACCOUNT = 'unknown';

/** The account whose logs a file holds, by where CloudTrail delivered it; undefined for a file kept elsewhere. */
export function accountOfLogPath(path: string): string | undefined {
  const slashed = path.replace(/\\/g, '/');
  return DELIVERY_FOLDER.exec(slashed)?.[1] ?? DELIVERY_NAME.exec(slashed)?.[1];
}

/**
 * The account a record is counted under: its own `recipientAccountId` (in an EventBridge event, the detail's), else
 * `folderAccount`, else {@link UNKNOWN_ACCOUNT}.
 */
export function accountOfRecord(value: unknown, folderAccount?: string): string {
  return recipientAccountOf(value) ?? folderAccount ?? UNKNOWN_ACCOUNT;
}

/** The record's `recipientAccountId` when it is an account id: a record is attacker-shaped input, so nothing else is taken. */
function recipientAccountOf(value: unknown): string | undefined {
  const id = stringAt(unwrapRecord(value), 'recipientAccountId');
  return id !== undefined && ACCOUNT_ID.test(id) ? id : undefined;
}
