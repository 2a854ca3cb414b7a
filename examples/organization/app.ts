/**
 * Deploys an organization's guard in two steps, each stack in its own account:
 *
 * 1. `cdk deploy MiningGuardManagement` with the management account's credentials: GuardDuty's delegated
 *    administrator, the organization trail, the organization's budget and anomaly monitor.
 * 2. `cdk deploy MiningGuardOrganization` with the security account's: the guard, and through its StackSet the member
 *    part in every account of the organization.
 *
 * `-c managementAccount=... -c securityAccount=... -c organizationId=o-... -c rootId=r-...` name the organization.
 */
import { App } from 'aws-cdk-lib';
import { OrganizationManagementStack } from './management-stack';
import { HOME_REGION, OrganizationSecurityStack, REGIONS } from './stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
const managementAccount = context('managementAccount', '999988887777');
const securityAccount = context('securityAccount', '111122223333');
const organizationId = context('organizationId', 'o-a1b2c3d4e5');

new OrganizationManagementStack(app, 'MiningGuardManagement', {
  env: { account: managementAccount, region: HOME_REGION },
  organizationId,
  securityAccount,
  guardDutyRegions: [HOME_REGION, ...REGIONS],
});
new OrganizationSecurityStack(app, 'MiningGuardOrganization', {
  env: { account: securityAccount, region: HOME_REGION },
  organizationId,
  rootId: context('rootId', 'r-ab12'),
  managementAccount: { account: managementAccount, region: HOME_REGION },
});
