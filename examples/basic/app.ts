/** The one-line guard: everything MiningGuard deploys, with its defaults, alerting one email address. */
import { App, Stack } from 'aws-cdk-lib';
import { MiningGuard } from '../../lib';

const app = new App();
const stack = new Stack(app, 'MiningGuardBasic', {
  description: 'MiningGuard with its defaults: alerts to one email address',
});

new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'] });
