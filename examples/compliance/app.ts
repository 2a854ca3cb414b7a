/** `cdk deploy --app 'npx tsx examples/compliance/app.ts'` deploys the guard with its Config rules, in a region without a recorder. */
import { App } from 'aws-cdk-lib';
import { ComplianceStack } from './stack';

new ComplianceStack(new App(), 'MiningGuardCompliance');
