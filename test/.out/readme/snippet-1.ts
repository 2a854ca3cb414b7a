import { App, Stack } from 'aws-cdk-lib';
import { MiningGuard } from 'mining-guard';

const app = new App();
const stack = new Stack(app, 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'] });

export {};
