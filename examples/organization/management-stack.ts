/**
 * The management (payer) account of an organization: only what that account alone can do. GuardDuty's delegated
 * administrator, the organization trail and the organization's budget and anomaly monitor.
 */
import { ArnFormat, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OrganizationManagement } from '../../lib';

/** An organization trail that exists already, delivering to a log group of this account and region. */
export interface ExistingOrganizationTrail {
  /** The trail's name, such as Control Tower's `aws-controltower-BaselineCloudTrail`. */
  readonly trailName: string;
  /** Its log group, such as Control Tower's `aws-controltower/CloudTrailLogs`. */
  readonly logGroupName: string;
}

/** The organization, and the security account that guards it. */
export interface OrganizationManagementStackProps extends StackProps {
  /** `aws organizations describe-organization --query Organization.Id` */
  readonly organizationId: string;
  /** The security account (Control Tower's audit account, in a landing zone). */
  readonly securityAccount: string;
  /** The regions the security account's guard watches, where it becomes GuardDuty's delegated administrator. */
  readonly guardDutyRegions: string[];
  /** An organization trail to adopt, such as Control Tower's; without it, one is created. */
  readonly existingTrail?: ExistingOrganizationTrail;
}

export class OrganizationManagementStack extends Stack {
  /** The management account's part. */
  public readonly management: OrganizationManagement;

  constructor(scope: Construct, id: string, props: OrganizationManagementStackProps) {
    super(scope, id, { description: 'MiningGuard: the management account of an organization (GuardDuty administrator, organization trail, organization spend)', ...props });

    this.management = new OrganizationManagement(this, 'Management', {
      organizationId: props.organizationId,
      securityAccount: props.securityAccount,
      guardDutyRegions: props.guardDutyRegions,
      // An existing trail is adopted as it is, never changed or deleted: only a subscription filter joins its log group.
      auditTrail: props.existingTrail && {
        existingTrailArn: this.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.existingTrail.trailName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
        existingLogGroup: logs.LogGroup.fromLogGroupName(this, 'ExistingTrailLogs', props.existingTrail.logGroupName),
      },
      spend: { monthlyLimitUsd: 50_000 },
    });
  }
}
