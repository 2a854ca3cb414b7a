import { judgeTrail } from '../../../../lambda/core/doctor/trail';

const LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:MiningGuard-trail:*';

describe('judgeTrail', () => {
  test('a logging multi-region trail delivering without error passes all four checks', () => {
    const checks = judgeTrail('MiningGuard-trail', { IsLogging: true }, { IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: LOG_GROUP });
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
  });

  test('a delivery error to S3 and to CloudWatch Logs each fail, quoting the error', () => {
    // GIVEN GetTrailStatus's documented fields for delivery errors
    const checks = judgeTrail('t', { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestCloudWatchLogsDeliveryError: 'AccessDeniedException' },
      { IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: LOG_GROUP });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['trail t logging', 'PASS'], ['trail t multi-region', 'PASS'], ['trail t delivery to S3', 'FAIL'], ['trail t delivery to CloudWatch Logs', 'FAIL'],
    ]);
    expect(checks[2].detail).toContain('AccessDenied');
    expect(checks[3].fix).toContain('logs:PutLogEvents');
  });

  test('a stopped single-region trail without a log group fails logging, multi-region and CloudWatch Logs', () => {
    const checks = judgeTrail('t', { IsLogging: false }, { IsMultiRegionTrail: false });
    expect(checks.map((c) => c.status)).toEqual(['FAIL', 'FAIL', 'PASS', 'FAIL']);
    expect(checks[0].fix).toContain('aws cloudtrail start-logging --name t');
  });
});
