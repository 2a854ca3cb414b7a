/** `cdk deploy --app 'npx tsx examples/basic/app.ts'` deploys the one-line guard. */
import { App } from 'aws-cdk-lib';
import { BasicStack } from './stack';

new BasicStack(new App(), 'MiningGuardBasic');
