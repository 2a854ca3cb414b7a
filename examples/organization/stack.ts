/**
 * The security account of an organization (a delegated administrator of StackSets): the guard judges, contains and
 * alerts here for every account, and OrganizationMembers puts the member part into each of them, new ones too.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagementAccount, MemberTargets, MiningGuard, OrganizationMembers, ResponseMode } from '../../lib';

/** The security account's home region, where its guard runs, and where the management account's stack is. */
export const HOME_REGION = 'eu-west-1';

/** The regions beyond the home one. */
export const REGIONS = ['us-east-1', 'eu-central-1'];

/** The organization the security account guards. */
export interface OrganizationSecurityStackProps extends StackProps {
  /** `aws organizations describe-organization --query Organization.Id` */
  readonly organizationId: string;
  /** The organization root, to guard every account: `aws organizations list-roots`. */
  readonly rootId: string;
  /** The management account's OrganizationManagement stack, deployed first. */
  readonly managementAccount?: ManagementAccount;
}

export class OrganizationSecurityStack extends Stack {
  /** The guard of the security account. */
  public readonly guard: MiningGuard;
  /** The member part, and its StackSet. */
  public readonly members: OrganizationMembers;

  constructor(scope: Construct, id: string, props: OrganizationSecurityStackProps) {
    super(scope, id, { description: 'MiningGuard: the security account of an organization, and the member part of every account', ...props });

    this.guard = new MiningGuard(this, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      // The security account's singletons are created here, not looked up (examples/one-line shows the lookups).
      lookup: false,
      everyRegion: { regions: REGIONS },
      launchWatch: { responses: { 'ec2-instance-launch': ResponseMode.STOP } },
    });
    this.members = new OrganizationMembers(this, 'Members', {
      guard: this.guard,
      organizationId: props.organizationId,
      targets: MemberTargets.organization(props.rootId),
      managementAccount: props.managementAccount,
    });
  }
}
