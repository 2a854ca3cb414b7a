/** `cdk deploy --app 'npx tsx examples/one-line/app.ts'` deploys the guard in one line, then subscribe to its topic. */
import { App } from 'aws-cdk-lib';
import { OneLineStack } from './stack';

new OneLineStack(new App(), 'MiningGuardOneLine');
