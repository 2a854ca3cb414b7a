/**
 * An account where Cost Anomaly Detection already runs (AWS created its default SERVICE monitor): MiningGuard
 * subscribes to that monitor instead of creating a second one, which would fail. Past the monthly budget, a budget
 * action denies the CI role any compute launch, once someone approves it.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BudgetActionApproval, MiningGuard } from '../../lib';

/** What the account already has, and its budget. */
export interface AdoptedMonitorStackProps extends StackProps {
  /** The SERVICE monitor of Cost Anomaly Detection: `aws ce get-anomaly-monitors`. */
  readonly monitorArn: string;
  /** The role CI deploys with: the principal a stolen key most likely belongs to. */
  readonly ciRoleName: string;
  /** The monthly cost budget, in US dollars. */
  readonly monthlyLimitUsd: number;
}

export class AdoptedMonitorStack extends Stack {
  constructor(scope: Construct, id: string, props: AdoptedMonitorStackProps) {
    super(scope, id, { description: 'MiningGuard adopting the Cost Anomaly Detection monitor, with a budget action on the CI role', ...props });

    new MiningGuard(this, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      // This account's singletons are named, not looked up (examples/one-line shows the lookups): the monitor below.
      lookup: false,
      spendGuard: {
        monthlyLimitUsd: props.monthlyLimitUsd,
        computeBudget: true,
        ec2RunningHoursLimit: 5000,
        existingAnomalyMonitorArn: props.monitorArn,
        anomalyThresholdUsd: 50,
        anomalyThresholdPercent: 40,
        vcpuAlarmOptions: { baselineVcpus: { 'Standard/OnDemand': 64, 'G/OnDemand': 8 } },
        budgetAction: {
          approval: BudgetActionApproval.MANUAL,
          thresholdPercent: 120,
          roles: [iam.Role.fromRoleName(this, 'CiRole', props.ciRoleName)],
        },
      },
    });
  }
}
