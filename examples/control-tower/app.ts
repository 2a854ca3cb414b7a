/**
 * An AWS Control Tower landing zone. Control Tower's organization trail and its log group
 * (`aws-controltower/CloudTrailLogs`) live in the management account, so the management account's stack adopts them
 * there and streams the log group's records to the security (audit) account, whose guard judges them. No member
 * account is asked for a log group it does not have.
 *
 * 1. `cdk deploy MiningGuardControlTowerManagement` with the management account's credentials, in Control Tower's
 *    home region.
 * 2. `cdk deploy MiningGuardControlTowerAudit` with the audit account's.
 *
 * `-c managementAccount=... -c auditAccount=... -c organizationId=o-... -c rootId=r-... -c region=...`
 */
import { App } from 'aws-cdk-lib';
import { CONTROL_TOWER_LOG_GROUP, CONTROL_TOWER_TRAIL } from './control-tower-names';
import { OrganizationManagementStack } from '../organization/management-stack';
import { OrganizationSecurityStack, REGIONS } from '../organization/stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
const managementAccount = context('managementAccount', '999988887777');
const auditAccount = context('auditAccount', '111122223333');
const organizationId = context('organizationId', 'o-a1b2c3d4e5');
const region = context('region', 'eu-west-1');

new OrganizationManagementStack(app, 'MiningGuardControlTowerManagement', {
  env: { account: managementAccount, region },
  organizationId,
  securityAccount: auditAccount,
  guardDutyRegions: [region, ...REGIONS],
  existingTrail: { trailName: CONTROL_TOWER_TRAIL, logGroupName: CONTROL_TOWER_LOG_GROUP },
});
new OrganizationSecurityStack(app, 'MiningGuardControlTowerAudit', {
  env: { account: auditAccount, region },
  organizationId,
  rootId: context('rootId', 'r-ab12'),
  managementAccount: { account: managementAccount, region },
});
