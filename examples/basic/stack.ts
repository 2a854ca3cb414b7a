/** The one-line guard: everything MiningGuard deploys, with its defaults, alerting one email address. */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MiningGuard } from '../../lib';

export class BasicStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'MiningGuard with its defaults: alerts to one email address', ...props });

    new MiningGuard(this, 'MiningGuard', { alertEmails: ['secops@example.com'] });
  }
}
