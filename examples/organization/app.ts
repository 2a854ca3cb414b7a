/**
 * `cdk deploy --app 'npx tsx examples/organization/app.ts' -c account=... -c organizationId=o-... -c rootId=r-...`
 * deploys the security account's guard, and through it the member part into every account of the organization.
 */
import { App } from 'aws-cdk-lib';
import { OrganizationSecurityStack } from './stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new OrganizationSecurityStack(app, 'MiningGuardOrganization', {
  env: { account: context('account', '111122223333'), region: context('region', 'eu-west-1') },
  organizationId: context('organizationId', 'o-a1b2c3d4e5'),
  rootId: context('rootId', 'r-ab12'),
});
