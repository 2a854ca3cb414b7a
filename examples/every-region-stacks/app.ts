/**
 * `cdk deploy --all --app 'npx tsx examples/every-region-stacks/app.ts'` deploys the guard as one stack per
 * region: the home stack first, then the regional stacks, which depend on it.
 */
import { App } from 'aws-cdk-lib';
import { HomeStack, REGIONS, RegionalStack } from './stack';

const app = new App();
const home = new HomeStack(app, 'MiningGuardHome', { env: { region: 'eu-west-1' }, regions: REGIONS });
for (const region of REGIONS) {
  new RegionalStack(app, `MiningGuard-${region}`, { env: { region }, home: home.guard });
}
