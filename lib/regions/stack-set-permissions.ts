/**
 * What the StackSet's execution role may do: for each resource type the regional template can hold, the calls
 * CloudFormation makes to create, update and delete it, limited to this account and, where the service allows, to
 * the resources StackSet stacks name (`StackSet-…`) or the guard's alarm names.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

/** Where a statement may act: the account, the partition, the start of the guard's alarm names. */
export interface PermissionScope {
  readonly partition: string;
  readonly account: string;
  readonly alarmNamePrefix: string;
}

/** The resource types of the regional template, each with its statements. */
export const REGIONAL_RESOURCE_PERMISSIONS = {
  'AWS::Events::Rule': (s: PermissionScope) => [statement(
    ['events:DescribeRule', 'events:PutRule', 'events:DeleteRule', 'events:EnableRule', 'events:DisableRule',
      'events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule', 'events:TagResource', 'events:UntagResource', 'events:ListTagsForResource'],
    [`arn:${s.partition}:events:*:${s.account}:rule/*`],
  )],
  'AWS::IAM::Role': (s: PermissionScope) => [statement(
    ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
      'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
      'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags'],
    [stackSetRoles(s)],
  ), statement(['iam:PassRole'], [stackSetRoles(s)], { StringEquals: { 'iam:PassedToService': ['events.amazonaws.com', 'config.amazonaws.com'] } })],
  'AWS::IAM::Policy': (s: PermissionScope) => [statement(['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy'], [stackSetRoles(s)])],
  'AWS::SQS::Queue': (s: PermissionScope) => [statement(
    ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl',
      'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
    [`arn:${s.partition}:sqs:*:${s.account}:StackSet-*`],
  )],
  'AWS::SQS::QueuePolicy': (s: PermissionScope) => [statement(
    ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'], [`arn:${s.partition}:sqs:*:${s.account}:StackSet-*`],
  )],
  'AWS::CloudWatch::Alarm': (s: PermissionScope) => [statement(
    ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
    [`arn:${s.partition}:cloudwatch:*:${s.account}:alarm:${s.alarmNamePrefix}*`],
  ), statement(['cloudwatch:DescribeAlarms'], ['*'])],
  'AWS::GuardDuty::Detector': (s: PermissionScope) => [statement(
    ['guardduty:CreateDetector', 'guardduty:GetDetector', 'guardduty:UpdateDetector', 'guardduty:DeleteDetector', 'guardduty:ListDetectors',
      'guardduty:TagResource', 'guardduty:UntagResource', 'guardduty:ListTagsForResource'],
    ['*'],
  ), statement(['iam:CreateServiceLinkedRole', 'iam:GetRole'], [`arn:${s.partition}:iam::${s.account}:role/aws-service-role/*guardduty.amazonaws.com/*`], {
    StringLike: { 'iam:AWSServiceName': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] },
  })],
  'AWS::Config::ConfigRule': () => [statement(
    ['config:PutConfigRule', 'config:DeleteConfigRule', 'config:DescribeConfigRules', 'config:TagResource', 'config:UntagResource', 'config:ListTagsForResource'],
    ['*'],
  )],
  'AWS::Config::ConfigurationRecorder': () => [statement(
    ['config:PutConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'config:DescribeConfigurationRecorders',
      'config:DescribeConfigurationRecorderStatus', 'config:StartConfigurationRecorder', 'config:StopConfigurationRecorder'],
    ['*'],
  )],
  'AWS::Config::DeliveryChannel': () => [statement(
    ['config:PutDeliveryChannel', 'config:DeleteDeliveryChannel', 'config:DescribeDeliveryChannels', 'config:DescribeDeliveryChannelStatus',
      'config:StartConfigurationRecorder', 'config:DescribeConfigurationRecorders'],
    ['*'],
  )],
  'AWS::S3::Bucket': (s: PermissionScope) => [statement(
    ['s3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketAcl', 's3:PutBucketAcl',
      's3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration', 's3:PutBucketVersioning', 's3:GetBucketVersioning',
      's3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration', 's3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock',
      's3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls', 's3:PutBucketTagging', 's3:GetBucketTagging'],
    [`arn:${s.partition}:s3:::stackset-*`],
  )],
  'AWS::S3::BucketPolicy': (s: PermissionScope) => [statement(
    ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'], [`arn:${s.partition}:s3:::stackset-*`],
  )],
} as const;

/** A resource type the execution role knows how to deploy. */
export type RegionalResourceType = keyof typeof REGIONAL_RESOURCE_PERMISSIONS;

/**
 * The execution role's statements for a template's resource types, with CloudFormation's own calls on the
 * StackSet's stacks. Throws for a type the table lacks: deploying it would fail in every region.
 */
export function executionStatements(resourceTypes: Iterable<string>, scope: PermissionScope): iam.PolicyStatement[] {
  const types = [...new Set(resourceTypes)].sort();
  const unknown = types.filter((t) => !(t in REGIONAL_RESOURCE_PERMISSIONS));
  if (unknown.length > 0) {
    throw new Error(`The regional template holds ${unknown.join(', ')}, which the StackSet execution role has no permissions for: add ${unknown.length === 1 ? 'it' : 'them'} to REGIONAL_RESOURCE_PERMISSIONS.`);
  }
  return [
    statement(['cloudformation:*'], [`arn:${scope.partition}:cloudformation:*:${scope.account}:stack/StackSet-*/*`]),
    ...types.flatMap((t) => REGIONAL_RESOURCE_PERMISSIONS[t as RegionalResourceType](scope)),
  ];
}

function stackSetRoles(s: PermissionScope): string {
  return `arn:${s.partition}:iam::${s.account}:role/StackSet-*`;
}

function statement(actions: string[], resources: string[], conditions?: Record<string, unknown>): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources, conditions });
}
