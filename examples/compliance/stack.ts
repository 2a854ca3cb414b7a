/**
 * A region without a Config recorder: MiningGuard creates one that records only what its rules judge, deploys
 * every rule with the account's own compute policy and ceilings, and adds the CIS monitoring alarms.
 */
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MiningGuard, RecorderMode } from '../../lib';

/** The ceiling an update rehearsal changes. */
export interface ComplianceStackProps extends StackProps {
  /**
   * The most vCPUs this region may run at once.
   * @default 64
   */
  readonly maxRunningVcpus?: number;
}

export class ComplianceStack extends Stack {
  constructor(scope: Construct, id: string, props: ComplianceStackProps = {}) {
    super(scope, id, { description: 'MiningGuard with its Config rules and a recorder of its own', ...props });

    new MiningGuard(this, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      // One policy for LaunchWatch and the Config rules alike.
      computePolicy: {
        allowedRegions: ['us-east-1', 'eu-west-1'],
        maxRunningVcpus: props.maxRunningVcpus ?? 64,
        exemptPrincipals: ['arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'],
      },
      compliance: {
        // `aws configservice describe-configuration-recorders` printed no recorder in this region.
        recorder: RecorderMode.CREATE,
        allowedInstanceTypes: ['t4g.small', 't4g.medium', 'm7g.large', 'm7g.xlarge'],
        maxAccessKeyAge: Duration.days(90),
        cisMetricFilters: true,
      },
    });
  }
}
