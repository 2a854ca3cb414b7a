/**
 * The guard in five regions from one stack: the account-wide parts in eu-west-1 (the home region), and the
 * asset-free regional part in four more, deployed by the stack itself as a CloudFormation StackSet.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MiningGuard } from '../../lib';

/** The regions beyond the home one. */
export const REGIONS = ['us-east-1', 'eu-central-1', 'sa-east-1', 'ap-southeast-1'];

export class EveryRegionStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'MiningGuard: the home region eu-west-1 and the regional part in four more regions', ...props });

    new MiningGuard(this, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      alertSlack: { workspaceId: 'T0123456789', channelId: 'C0123456789' },
      everyRegion: { regions: REGIONS },
    });
  }
}
