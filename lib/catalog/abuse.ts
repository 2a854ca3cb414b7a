/**
 * Detections for stolen access put to use: root keys and calls, AWS's own quarantine of a leaked key, commands and
 * shells on existing instances, public functions, certificate-based roles, serial consoles, and bought model access.
 */
import { CLOUDTRAIL_LATENCY } from './latency';
import { CloudTrailIdentitySignal, CloudTrailSignal, Detection } from './types';

function call<const Id extends string>(
  id: Id, title: string, severity: Detection['severity'], eventSource: string, eventNames: string[],
  rationale: string, nextSteps: string[], references: Detection['references'],
): Detection<Id> & { readonly signal: CloudTrailSignal } {
  return { id, title, severity, signal: { kind: 'cloudtrail', eventSource, eventNames }, rationale, nextSteps, references, responses: ['NOTIFY'], latency: CLOUDTRAIL_LATENCY };
}

const ROOT_USER_DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html';

/**
 * Judged before the credential detections, so that a call several detections select (a root `CreateAccessKey`, an
 * `AttachUserPolicy` of the quarantine policy) raises the most specific one.
 */
export const ABUSE_DETECTIONS = [
  call('root-access-key', 'Access key created by the root user', 'CRITICAL', 'iam.amazonaws.com', ['CreateAccessKey'],
    'A root access key can do anything, cannot be limited by any policy, and is the credential attackers most want to keep. AWS recommends that root has no access key at all.',
    ['Delete the new key at once unless the account\'s owner made it on purpose, then reset the root password and MFA.',
      'Find every call made with root credentials since the last known-good login.'],
    { cisControls: ['CIS 1.4', 'CIS 1.7'], mitreAttack: ['T1098.001', 'T1078.004'], urls: [ROOT_USER_DOCS] }),
  call('compromised-key-quarantine', 'AWS quarantined a leaked access key', 'CRITICAL', 'iam.amazonaws.com',
    ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'],
    'AWS attaches its AWSCompromisedKeyQuarantine policy when it finds an access key exposed in public: the key is known to be stolen, and its owner may already be mining on the account\'s bill.',
    ['Deactivate and delete the exposed key; keep the quarantine policy attached until the support case AWS opened is closed.',
      'Look for compute, users, keys and roles the key created in every region since it leaked.'],
    { mitreAttack: ['T1552.001', 'T1078.004'], urls: ['https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV3.html'] }),
  call('ssm-command-outside-policy', 'Command or shell on an instance by an unexpected principal', 'HIGH', 'ssm.amazonaws.com',
    ['SendCommand', 'StartSession'],
    'SSM Run Command and Session Manager run anything on existing instances without a new launch: attackers install miners there, where no launch alert fires.',
    ['Ask the principal\'s owner whether the command or session was theirs; if not, revoke its credentials and inspect the instances for new processes.',
      'Add the principals that run commands on purpose (patching, deployment) to the compute policy\'s exemptPrincipals.'],
    {
      stratusTechniques: ['aws.execution.ssm-send-command', 'aws.execution.ssm-start-session'],
      mitreAttack: ['T1651'],
      urls: ['https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html'],
    }),
  call('public-lambda-permission', 'Lambda function opened to everyone', 'HIGH', 'lambda.amazonaws.com', ['AddPermission20150331v2'],
    'A resource policy that lets principal `*` invoke a function, without a source account, ARN or organization to narrow it, lets anyone on the internet run it, with its role.',
    ['Remove the statement (lambda remove-permission) unless the function is meant to be public, and check what its role can do.'],
    {
      stratusTechniques: ['aws.persistence.lambda-backdoor-function'],
      mitreAttack: ['T1546', 'T1098'],
      urls: ['https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html'],
    }),
  call('roles-anywhere-trust', 'IAM Roles Anywhere trust anchor or profile changed', 'HIGH', 'rolesanywhere.amazonaws.com',
    ['CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'CreateProfile', 'UpdateProfile', 'EnableProfile'],
    'A trust anchor with the attacker\'s certificate authority, and a profile naming a role, hand out role credentials to whoever holds a certificate: a way back in that survives every key rotation.',
    ['Disable or delete the trust anchor and profile unless they were planned, and read which roles the profile names.'],
    {
      stratusTechniques: ['aws.persistence.rolesanywhere-create-trust-anchor'],
      mitreAttack: ['T1098.003'],
      urls: ['https://docs.aws.amazon.com/rolesanywhere/latest/userguide/cloudtrail.html'],
    }),
  call('serial-console-enabled', 'EC2 serial console access enabled', 'HIGH', 'ec2.amazonaws.com', ['EnableSerialConsoleAccess'],
    'The serial console reaches an instance\'s shell without its network, security groups or SSH keys: it is off by default, and turning it on opens every instance of the region to it.',
    ['Disable serial console access (ec2 disable-serial-console-access) unless someone needs it now.'],
    {
      stratusTechniques: ['aws.lateral-movement.ec2-serial-console-send-ssh-public-key'],
      mitreAttack: ['T1021'],
      urls: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configure-access-to-serial-console.html'],
    }),
  call('serial-console-key-sent', 'SSH key sent to an instance\'s serial console', 'HIGH', 'ec2-instance-connect.amazonaws.com', ['SendSerialConsoleSSHPublicKey'],
    'A key pushed to the serial console opens a shell on the instance for a minute, past its network controls: enough to install a miner.',
    ['Ask the principal\'s owner whether the session was theirs; if not, inspect the instance and revoke the principal\'s credentials.'],
    {
      stratusTechniques: ['aws.lateral-movement.ec2-serial-console-send-ssh-public-key'],
      mitreAttack: ['T1021'],
      urls: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/connect-to-serial-console.html'],
    }),
  call('bedrock-model-access', 'Bedrock model access switched on', 'HIGH', 'bedrock.amazonaws.com',
    ['PutFoundationModelEntitlement', 'PutUseCaseForModelAccess', 'CreateFoundationModelAgreement'],
    'Stolen keys now buy model tokens as well as GPUs: attackers switch on access to expensive models and resell it, and the invocations go on the account\'s bill.',
    ['Confirm that someone asked for the model; if not, revoke the principal\'s credentials and deny bedrock:InvokeModel where it is not needed.',
      'Check the bill for Bedrock usage in every region.'],
    {
      stratusTechniques: ['aws.impact.bedrock-invoke-model'],
      mitreAttack: ['T1496'],
      urls: ['https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html'],
    }),
  call('bedrock-logging-deleted', 'Bedrock model invocation logging deleted', 'HIGH', 'bedrock.amazonaws.com',
    ['DeleteModelInvocationLoggingConfiguration'],
    'Invocation logs show who called which model with what: attackers delete them before they resell stolen model access.',
    ['Restore the logging configuration and find who deleted it and what they invoked next.'],
    { mitreAttack: ['T1562.008'], urls: ['https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html'] }),
] as const;

/** Root API activity: judged after every detection that names a call, so a root `StopLogging` is tampering first. */
export const ROOT_ACTIVITY = {
  id: 'root-activity',
  title: 'Root user API call',
  severity: 'HIGH',
  signal: { kind: 'cloudtrail-identity', identityType: 'Root' } satisfies CloudTrailIdentitySignal,
  rationale: 'The root user can do anything, including closing the account or leaving its organization, and no policy limits it. Everyday work never needs it, so any call it makes is either rare maintenance or an attacker.',
  nextSteps: [
    'Confirm with the root credential\'s custodian that the call was theirs; if not, reset the root password and MFA and delete any root access key.',
    'Find every call made with root credentials since the last known-good login.',
  ],
  references: { cisControls: ['CIS 1.7', 'CIS 4.3'], mitreAttack: ['T1078.004'], urls: [ROOT_USER_DOCS] },
  responses: ['NOTIFY'],
  latency: CLOUDTRAIL_LATENCY,
} as const satisfies Detection;
