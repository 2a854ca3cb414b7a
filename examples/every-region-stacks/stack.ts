/**
 * The guard as one stack per region, for apps that keep a stack per region: the home stack holds the account-wide
 * parts once, and each regional stack a `RegionalGuard`, which creates nothing account-wide.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MiningGuard, RegionalDeployment, RegionalGuard } from '../../lib';

/** The regions beyond the home one, each with a RegionalStack. */
export const REGIONS = ['us-east-1', 'eu-central-1', 'sa-east-1', 'ap-southeast-1'];

export interface HomeStackProps extends StackProps {
  /** The regions beyond the home one, each with a RegionalStack. */
  readonly regions: string[];
  /** The regions among them whose GuardDuty detector exists already: their RegionalStack leaves it alone. */
  readonly existingDetectorRegions?: string[];
}

/** The home region: trail, budgets, anomaly monitor, alert channel, notifier, evaluators. */
export class HomeStack extends Stack {
  public readonly guard: MiningGuard;

  constructor(scope: Construct, id: string, props: HomeStackProps) {
    super(scope, id, { description: 'MiningGuard home region: the account-wide parts', ...props });
    this.guard = new MiningGuard(this, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      alertSlack: { workspaceId: 'T0123456789', channelId: 'C0123456789' },
      everyRegion: { regions: props.regions, existingDetectorRegions: props.existingDetectorRegions, deployment: RegionalDeployment.CDK_STACKS },
    });
  }
}

export interface RegionalStackProps extends StackProps {
  /** The home region's guard, which the regional part forwards to. */
  readonly home: MiningGuard;
}

/** A region beyond the home one: forwarding rules, GuardDuty, vCPU alarms. */
export class RegionalStack extends Stack {
  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, { description: 'MiningGuard regional part: forwards this region\'s events to the home region', ...props });
    new RegionalGuard(this, 'MiningGuard', { home: props.home });
  }
}
