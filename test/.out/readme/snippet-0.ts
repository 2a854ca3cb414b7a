import { Stack } from 'aws-cdk-lib';
import { MiningGuard } from 'mining-guard';
export class Fixture extends Stack {
  constructor() {
    super();
new MiningGuard(this, 'MiningGuard', { alertEmails: ['secops@example.com'] });

  }
}
export {};
