/** The Config rules ComplianceRules can deploy, by the name suffix each is deployed with (the catalog's rule). */

/**
 * One of MiningGuard's AWS Config rules. The value is the suffix of the deployed rule's name
 * (`MiningGuard-restricted-ssh`), which the catalog and the notifier use to recognise it.
 */
export enum ComplianceRule {
  /** At least one trail logs (`cloudtrail-enabled`). */
  CLOUDTRAIL_ENABLED = 'cloudtrail-enabled',
  /** A multi-region trail records management events (`multi-region-cloudtrail-enabled`, CIS 3.1). */
  CLOUDTRAIL_MULTI_REGION = 'multi-region-cloudtrail-enabled',
  /** Trails validate their log files (`cloud-trail-log-file-validation-enabled`, CIS 3.2). */
  CLOUDTRAIL_LOG_FILE_VALIDATION = 'cloud-trail-log-file-validation-enabled',
  /** Trails deliver to CloudWatch Logs (`cloud-trail-cloud-watch-logs-enabled`). */
  CLOUDTRAIL_CLOUDWATCH_LOGS = 'cloud-trail-cloud-watch-logs-enabled',
  /** GuardDuty is on, or managed by the central account (`guardduty-enabled-centralized`). */
  GUARDDUTY_ENABLED = 'guardduty-enabled-centralized',
  /** The root user has MFA (`root-account-mfa-enabled`, CIS 1.5). */
  ROOT_MFA = 'root-account-mfa-enabled',
  /** The root user has no access key (`iam-root-access-key-check`, CIS 1.4). */
  ROOT_ACCESS_KEY = 'iam-root-access-key-check',
  /** IAM users with a console password have MFA (`mfa-enabled-for-iam-console-access`, CIS 1.10). */
  CONSOLE_MFA = 'mfa-enabled-for-iam-console-access',
  /** No password or access key is unused for longer than `maxCredentialUnusedAge` (`iam-user-unused-credentials-check`, CIS 1.12). */
  UNUSED_CREDENTIALS = 'iam-user-unused-credentials-check',
  /** Access keys are younger than `maxAccessKeyAge` (`access-keys-rotated`, CIS 1.14). */
  ACCESS_KEYS_ROTATED = 'access-keys-rotated',
  /** Instances require IMDSv2 (`ec2-imdsv2-check`, CIS 5.6). */
  IMDSV2_REQUIRED = 'ec2-imdsv2-check',
  /** No security group allows SSH from anywhere (`restricted-ssh`, CIS 5.2). */
  RESTRICTED_SSH = 'restricted-ssh',
  /** Default security groups allow no traffic (`vpc-default-security-group-closed`, CIS 5.4). */
  DEFAULT_SECURITY_GROUP_CLOSED = 'vpc-default-security-group-closed',
  /** Instances are of the `allowedInstanceTypes` (`desired-instance-type`); deployed only when they are given. */
  DESIRED_INSTANCE_TYPE = 'desired-instance-type',
  /** Custom: no instance of a denied family (GPU and accelerators by default). */
  INSTANCE_FAMILY = 'instance-family',
  /** Custom: no instance outside `allowedRegions`; deployed only when they are given. */
  INSTANCE_REGION = 'instance-region',
  /** Custom, periodic: running instances and vCPUs of the region stay under their ceilings. */
  RUNNING_COMPUTE = 'running-compute',
  /** Custom: no instance protected from termination unless an exempt principal launched it. */
  TERMINATION_PROTECTION = 'termination-protection',
}
