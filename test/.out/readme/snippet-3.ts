import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MiningGuard } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  // Find it with `aws guardduty list-detectors`.
  threatDetection: { existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0' },
  auditTrail: {
    existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/aws-controltower-BaselineCloudTrail',
    // The trail's log group in this account, if it delivers to one: every region is then judged from it.
    existingLogGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', 'aws-controltower/CloudTrailLogs'),
  },
  alertTopic: sns.Topic.fromTopicArn(stack, 'Alerts', 'arn:aws:sns:eu-west-1:111122223333:security-alerts'),
});

export {};
