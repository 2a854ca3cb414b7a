/** Judges the guard's trail: logging, in every region, and delivering to S3 and CloudWatch Logs without error. */
import { Check, fail, pass } from './check';

/** What CloudTrail GetTrailStatus returns that the doctor reads. */
export interface TrailStatus {
  readonly IsLogging?: boolean;
  readonly LatestDeliveryError?: string;
  readonly LatestCloudWatchLogsDeliveryError?: string;
}

/** What CloudTrail GetTrail (or DescribeTrails) returns that the doctor reads. */
export interface TrailSettings {
  readonly IsMultiRegionTrail?: boolean;
  readonly CloudWatchLogsLogGroupArn?: string;
}

/** The trail's checks: logging, multi-region, S3 delivery, CloudWatch Logs delivery. */
export function judgeTrail(trail: string, status: TrailStatus, settings: TrailSettings): Check[] {
  const checks: Check[] = [];
  checks.push(status.IsLogging === true
    ? pass(`trail ${trail} logging`, 'logging')
    : fail(`trail ${trail} logging`, 'the trail is not logging: the guard sees no API call',
      `aws cloudtrail start-logging --name ${trail}, then find who stopped it (StopLogging in the trail's own events)`));
  checks.push(settings.IsMultiRegionTrail === true
    ? pass(`trail ${trail} multi-region`, 'records every region')
    : fail(`trail ${trail} multi-region`, 'the trail records one region only: launches elsewhere go unseen',
      'deploy the guard again (its trail is multi-region), or make the adopted trail multi-region'));
  const s3 = typeof status.LatestDeliveryError === 'string' ? status.LatestDeliveryError : '';
  checks.push(s3 === ''
    ? pass(`trail ${trail} delivery to S3`, 'no delivery error')
    : fail(`trail ${trail} delivery to S3`, `latest delivery error: ${s3.slice(0, 200)}`,
      'check the trail bucket\'s policy and, if it is encrypted, the key policy: CloudTrail must be allowed to write (docs/doctor.md)'));
  const logs = typeof status.LatestCloudWatchLogsDeliveryError === 'string' ? status.LatestCloudWatchLogsDeliveryError : '';
  if (settings.CloudWatchLogsLogGroupArn === undefined && logs === '') {
    checks.push(fail(`trail ${trail} delivery to CloudWatch Logs`, 'the trail sends nothing to CloudWatch Logs: the guard\'s log-based detections see nothing',
      'deploy the guard again, or give the adopted trail the log group and role the guard expects'));
  } else {
    checks.push(logs === ''
      ? pass(`trail ${trail} delivery to CloudWatch Logs`, 'no delivery error')
      : fail(`trail ${trail} delivery to CloudWatch Logs`, `latest delivery error: ${logs.slice(0, 200)}`,
        'check the trail\'s CloudWatch Logs role (logs:CreateLogStream, logs:PutLogEvents) and the log group\'s key policy'));
  }
  return checks;
}
