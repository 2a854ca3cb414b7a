/**
 * The design card's one line: MiningGuard with every default and no alert destination yet. The synth warns, and the
 * stack outputs the alert topic's ARN (AlertTopicArn) for people to subscribe to.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MiningGuard } from '../../lib';

export class OneLineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'MiningGuard in one line: subscribe to the AlertTopicArn output', ...props });

    new MiningGuard(this);
  }
}
