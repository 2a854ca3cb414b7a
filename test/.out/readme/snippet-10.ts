import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MiningGuard } from 'mining-guard';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
new MiningGuard(new Stack(app, 'Guard'), 'MiningGuard', { alertEmails: ['secops@example.com'] });
app.synth();

export {};
