/** Detections for stolen or planted credentials: root use, logins without MFA, backdoor users, keys, roles and URLs. */
import { CLOUDTRAIL_LATENCY } from './latency';
import { CloudTrailSignal, Detection } from './types';


function credential<const Id extends string>(id: Id, title: string, eventSource: string, eventNames: string[], rationale: string, nextSteps: string[], references: Detection['references'], severity: Detection['severity'] = 'HIGH'): Detection<Id> & { readonly signal: CloudTrailSignal } {
  return { id, title, severity, signal: { kind: 'cloudtrail', eventSource, eventNames }, rationale, nextSteps, references, responses: ['NOTIFY'], latency: CLOUDTRAIL_LATENCY };
}

export const CREDENTIAL_DETECTIONS = [
  credential('suspicious-console-login', 'Root login or login without MFA', 'signin.amazonaws.com', ['ConsoleLogin'],
    'Root can do anything, and a console login without MFA is a stolen password away from the account. (Repeated failed logins are counted by the CIS 4.6 metric filter.)',
    ['Confirm with the person that the login was theirs; if not, reset the password, enforce MFA and revoke sessions.'],
    { cisControls: ['CIS 4.2', 'CIS 4.3', 'CIS 4.6'], stratusTechniques: ['aws.initial-access.console-login-without-mfa'], mitreAttack: ['T1078.004'] }),
  credential('access-key-for-another-user', 'Access key created for another user', 'iam.amazonaws.com', ['CreateAccessKey'],
    'Creating a key for someone else is how attackers keep access after their own key is revoked.',
    ['Delete the new key unless its owner asked for it, and find who created it.'],
    { stratusTechniques: ['aws.persistence.iam-backdoor-user', 'aws.persistence.iam-create-admin-user'], mitreAttack: ['T1098.001'] }),
  credential('admin-policy-attached', 'Administrator access granted', 'iam.amazonaws.com',
    ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy'],
    'A new user or role with AdministratorAccess is the classic backdoor: it survives the revocation of the stolen key.',
    ['Detach the policy unless the change was planned; check which user or role was created just before.'],
    { cisControls: ['CIS 4.4'], stratusTechniques: ['aws.persistence.iam-create-admin-user', 'aws.persistence.iam-create-backdoor-role'], mitreAttack: ['T1098'] }),
  credential('login-profile-change', 'Console password set for another user', 'iam.amazonaws.com', ['CreateLoginProfile', 'UpdateLoginProfile'],
    'Giving another user a console password is a way back in that no access-key rotation closes.',
    ['Delete the login profile unless it was requested, and force the user to reset the password.'],
    { stratusTechniques: ['aws.persistence.iam-create-user-login-profile', 'aws.privilege-escalation.iam-update-user-login-profile'], mitreAttack: ['T1098'] }),
  credential('role-trust-change', 'Role trust policy changed', 'iam.amazonaws.com', ['UpdateAssumeRolePolicy'],
    'A trust policy that lets an outside account assume a role is a backdoor that needs no credential at all.',
    ['Read the new trust policy; remove principals you do not know.'],
    { stratusTechniques: ['aws.persistence.iam-backdoor-role'], mitreAttack: ['T1098.003'] }),
  credential('public-function-url', 'Lambda function URL without authentication', 'lambda.amazonaws.com', ['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031'],
    'A function URL with auth type NONE lets anyone on the internet invoke the function, and its role.',
    ['Set the URL\'s auth type to AWS_IAM or delete it.'],
    { mitreAttack: ['T1190'] }),
  credential('region-enabled', 'Opt-in region enabled', 'account.amazonaws.com', ['EnableRegion'],
    'Attackers enable regions nobody watches and launch there.',
    ['Disable the region unless it was planned, and deploy MiningGuard there if it was.'],
    { mitreAttack: ['T1535'] }, 'MEDIUM'),
  credential('federation-token', 'Federation token issued', 'sts.amazonaws.com', ['GetFederationToken'],
    'A federation token outlives the revocation of the key that created it, for up to 36 hours.',
    ['Find the key that asked for it; deny sts:GetFederationToken to users who do not need it.'],
    { stratusTechniques: ['aws.persistence.sts-federation-token'], mitreAttack: ['T1550.001'] }, 'MEDIUM'),
] as const;
