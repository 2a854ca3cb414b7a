/** `cdk deploy --app 'npx tsx examples/every-region/app.ts'` deploys the guard to five regions in one deployment. */
import { App } from 'aws-cdk-lib';
import { EveryRegionStack } from './stack';

new EveryRegionStack(new App(), 'MiningGuardEveryRegion', { env: { region: 'eu-west-1' } });
