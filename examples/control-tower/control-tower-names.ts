/** The names Control Tower gives its organization trail and the log group it delivers to, in the management account. */
export const CONTROL_TOWER_TRAIL = 'aws-controltower-BaselineCloudTrail';
export const CONTROL_TOWER_LOG_GROUP = 'aws-controltower/CloudTrailLogs';
