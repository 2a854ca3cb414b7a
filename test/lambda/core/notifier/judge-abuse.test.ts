import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { ABUSE_JUDGES } from '../../../../lambda/core/notifier/judge-abuse';
import { CALL_JUDGES } from '../../../../lambda/core/notifier/judge-cloudtrail';
import { ABUSE_DETECTIONS, detection, GuardContext, JUDGED_CALL_DETECTIONS } from '../../../../lib/catalog';
import { asRoot, cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const CONTEXT: GuardContext = {
  deployPrincipals: [],
  guardNamePrefixes: ['MiningGuardBasic-'],
  guardArns: [],
  trailBuckets: [],
  exemptPrincipals: ['arn:aws:iam::123456789012:role/patching', 'arn:aws:iam::*:user/ops-*'],
};

const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
const TECHNIQUE = new Map(readJsonLines('cloudtrail/attack/stratus_detonation_logs.index.jsonl').map((i) => [i.eventID as string, i.technique as string]));
const ABUSE_IDS = new Set<string>([...ABUSE_DETECTIONS.map((d) => d.id), 'root-activity']);

/** The alert the notifier raises for an event, bare or as EventBridge delivers it; the same either way. */
function alertOf(record: Record<string, unknown>, context: GuardContext = CONTEXT) {
  const bare = alertForEvent(record, context).alert;
  const wrapped = alertForEvent(eventBridgeEvent(record), context).alert;
  expect(wrapped?.detectionId).toBe(bare?.detectionId);
  return bare;
}

describe('the real Stratus Red Team detonations of the abuse techniques', () => {
  test.each([
    ['aws.execution.ssm-send-command', 'SendCommand', 'ssm-command-outside-policy', 1],
    ['aws.execution.ssm-start-session', 'StartSession', 'ssm-command-outside-policy', 3],
    ['aws.persistence.rolesanywhere-create-trust-anchor', 'CreateTrustAnchor', 'roles-anywhere-trust', 1],
    ['aws.persistence.rolesanywhere-create-trust-anchor', 'CreateProfile', 'roles-anywhere-trust', 1],
    ['aws.lateral-movement.ec2-serial-console-send-ssh-public-key', 'EnableSerialConsoleAccess', 'serial-console-enabled', 1],
    ['aws.lateral-movement.ec2-serial-console-send-ssh-public-key', 'SendSerialConsoleSSHPublicKey', 'serial-console-key-sent', 3],
    ['aws.impact.bedrock-invoke-model', 'PutFoundationModelEntitlement', 'bedrock-model-access', 1],
    ['aws.impact.bedrock-invoke-model', 'PutUseCaseForModelAccess', 'bedrock-model-access', 1],
    ['aws.impact.bedrock-invoke-model', 'CreateFoundationModelAgreement', 'bedrock-model-access', 1],
    ['aws.persistence.lambda-backdoor-function', 'AddPermission20150331v2', 'public-lambda-permission', 1],
  ])('%s: each %s raises %s', (technique, eventName, id, count) => {
    const records = STRATUS.filter((r) => TECHNIQUE.get(r.eventID as string) === technique && r.eventName === eventName);
    expect(records).toHaveLength(count);
    for (const r of records) expect(alertOf(r)?.detectionId).toBe(id);
  });

  test('the rest of those detonations (reads, invocations, session ends) raise nothing', () => {
    const techniques = ['ssm-send-command', 'ssm-start-session', 'rolesanywhere-create-trust-anchor', 'ec2-serial-console-send-ssh-public-key', 'bedrock-invoke-model']
      .map((t) => `aws.${t.startsWith('ssm') ? 'execution' : t.startsWith('roles') ? 'persistence' : t.startsWith('ec2') ? 'lateral-movement' : 'impact'}.${t}`);
    const others = STRATUS.filter((r) => techniques.includes(TECHNIQUE.get(r.eventID as string)!) && r.readOnly === true);
    expect(others.length).toBeGreaterThan(80);
    expect(others.map((r) => alertOf(r)?.detectionId).filter((id) => id && id !== 'unrecognised-event')).toEqual([]);
  });

  test('the alert says who ran what where: the SendCommand subject names the instance', () => {
    const send = STRATUS.find((r) => r.eventName === 'SendCommand' && TECHNIQUE.get(r.eventID as string) === 'aws.execution.ssm-send-command'
      && (r.requestParameters as { instanceIds: string[] }).instanceIds.length === 3)!;
    const alert = alertOf(send)!;
    expect(alert.severity).toBe('HIGH');
    expect(alert.what).toMatch(/^Command or shell on an instance by an unexpected principal: command AWS-RunShellScript on i-\w+, i-\w+, i-\w+ by user\/christophe, which the compute policy does not exempt\.$/);
    expect(toAlertMessage(alert).subject).toMatch(/^\[MiningGuard\]\[HIGH\] SendCommand i-\w+ by user\/christophe in /);
  });
});

describe('none of the abuse detections fires on benign activity', () => {
  test.each(['invictus_aws_service_background.jsonl', 'invictus_terraform_setup_teardown.jsonl', 'awsdocs_cloudtrail_examples.jsonl'])('%s', (file) => {
    const raised = readJsonLines(`cloudtrail/benign/${file}`).map((r) => [r.eventName, alertForEvent(r, CONTEXT).alert?.detectionId] as const)
      .filter(([, id]) => id !== undefined && ABUSE_IDS.has(id));
    // The AWS documentation's one root API call is root activity, as the documentation says it is: the only exception.
    expect(raised).toEqual(file === 'awsdocs_cloudtrail_examples.jsonl' ? [['EnableMFADevice', 'root-activity']] : []);
  });
});

describe('root', () => {
  test('an access key created by root, for itself or anyone, is CRITICAL root-access-key, not another user\'s key', () => {
    const own = alertOf(asRoot(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', {})))!;
    expect([own.detectionId, own.severity]).toEqual(['root-access-key', 'CRITICAL']);
    expect(own.what).toBe(`${detection('root-access-key').title}: the root user created an access key for itself.`);
    const other = alertOf(asRoot(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'backdoor' })))!;
    expect([other.detectionId, other.what]).toEqual(['root-access-key', `${detection('root-access-key').title}: the root user created an access key for user backdoor.`]);
  });

  test('an IAM user\'s key for another user stays access-key-for-another-user', () => {
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'backdoor' }))?.detectionId).toBe('access-key-for-another-user');
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', {}))).toBeUndefined();
  });

  test('any other root API call is root-activity; a call a detection names is that detection first', () => {
    expect(alertOf(asRoot(cloudTrailRecord('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {})))?.detectionId).toBe('root-activity');
    expect(alertOf(asRoot(cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 't' })))?.detectionId).toBe('cloudtrail-tampering');
    const mfa = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl').find((r) => r.eventName === 'EnableMFADevice')!;
    expect(alertOf(mfa)?.what).toBe(`${detection('root-activity').title}: the root user called EnableMFADevice.`);
  });

  test('a root read with keys alerts; a read in a root console session is left to the login\'s alert', () => {
    const read = { ...asRoot(cloudTrailRecord('s3.amazonaws.com', 'ListBuckets', {})), readOnly: true };
    expect(alertOf(read)?.detectionId).toBe('root-activity');
    expect(alertOf({ ...read, sessionCredentialFromConsole: 'true' })).toBeUndefined();
    expect(alertOf({ ...read, readOnly: false, sessionCredentialFromConsole: 'true' })?.detectionId).toBe('root-activity');
  });

  test('console sign-ins stay the login detection\'s, and a record that only claims root elsewhere is not root', () => {
    const login = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl').find((r) => r.eventName === 'ConsoleLogin' && (r.userIdentity as { type: string }).type === 'Root')!;
    expect(alertOf(login)?.detectionId).toBe('suspicious-console-login');
    expect(ABUSE_JUDGES['root-activity'](readRecord(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {})) as never, CONTEXT))
      .toEqual({ flagged: false, reason: 'not the root user' });
  });
});

describe('compromised-key-quarantine', () => {
  test.each(['AWSCompromisedKeyQuarantine', 'AWSCompromisedKeyQuarantineV2', 'AWSCompromisedKeyQuarantineV3'])('%s attached to a user is CRITICAL', (policy) => {
    const alert = alertOf(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'ci-bot', policyArn: `arn:aws:iam::aws:policy/${policy}` }))!;
    expect([alert.detectionId, alert.severity]).toEqual(['compromised-key-quarantine', 'CRITICAL']);
    expect(alert.what).toBe(`${detection('compromised-key-quarantine').title}: ${policy} attached to ci-bot: AWS found this identity's key exposed.`);
  });

  test('to a role or group too, and a look-alike customer policy is not it', () => {
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'AttachRolePolicy', { roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' }))?.detectionId)
      .toBe('compromised-key-quarantine');
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'AttachGroupPolicy', { groupName: 'g', policyArn: 'arn:aws-cn:iam::aws:policy/AWSCompromisedKeyQuarantineV3' }))?.detectionId)
      .toBe('compromised-key-quarantine');
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'u', policyArn: 'arn:aws:iam::123456789012:policy/AWSCompromisedKeyQuarantineV2' }))?.detectionId)
      .not.toBe('compromised-key-quarantine');
  });

  test('AdministratorAccess is still the admin-policy detection', () => {
    expect(alertOf(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'u', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }))?.detectionId)
      .toBe('admin-policy-attached');
  });
});

describe('ssm-command-outside-policy', () => {
  const send = (principalArn: string, extra: Record<string, unknown> = {}) => ({
    ...cloudTrailRecord('ssm.amazonaws.com', 'SendCommand', { documentName: 'AWS-RunPatchBaseline', instanceIds: ['i-0123456789abcdef0'] }, null, { principalArn }), ...extra,
  });

  test('an exempt principal\'s command passes: a role by its sessions, a user by an ARN pattern', () => {
    expect(alertOf(send('arn:aws:sts::123456789012:assumed-role/patching/maintenance-window'))).toBeUndefined();
    expect(alertOf(send('arn:aws:iam::123456789012:user/ops-alice'))).toBeUndefined();
  });

  test('anyone else\'s alerts, and without exempt principals everyone\'s does', () => {
    expect(alertOf(send('arn:aws:iam::123456789012:user/ci-bot'))?.detectionId).toBe('ssm-command-outside-policy');
    expect(alertOf(send('arn:aws:sts::123456789012:assumed-role/patching-evil/x'))?.detectionId).toBe('ssm-command-outside-policy');
    expect(alertOf(send('arn:aws:sts::123456789012:assumed-role/patching/maintenance-window'), { ...CONTEXT, exemptPrincipals: undefined })?.detectionId)
      .toBe('ssm-command-outside-policy');
  });

  test('an AWS service acting on its own is not a person\'s command', () => {
    expect(alertOf(send('arn:aws:iam::123456789012:user/x', { userIdentity: { type: 'AWSService', invokedBy: 'ssm.amazonaws.com' } }))).toBeUndefined();
  });
});

describe('public-lambda-permission', () => {
  const add = (request: Record<string, unknown>) => cloudTrailRecord('lambda.amazonaws.com', 'AddPermission20150331v2', {
    functionName: 'fn', statementId: 's', action: 'lambda:InvokeFunction', ...request,
  });

  test('principal * without a condition alerts; narrowed by account, ARN or organization, or for a named principal, it does not', () => {
    expect(alertOf(add({ principal: '*' }))?.what).toBe(`${detection('public-lambda-permission').title}: lambda:InvokeFunction allowed to everyone on fn.`);
    for (const narrowing of [{ sourceAccount: '123456789012' }, { sourceArn: 'arn:aws:s3:::bucket' }, { principalOrgID: 'o-abc' }]) {
      expect(alertOf(add({ principal: '*', ...narrowing }))).toBeUndefined();
    }
    expect(alertOf(add({ principal: 's3.amazonaws.com' }))).toBeUndefined();
    expect(alertOf(add({ principal: ['*'] }))).toBeUndefined();
  });
});

describe('the documented shapes of the calls no public log holds', () => {
  test.each([
    ['rolesanywhere.amazonaws.com', 'UpdateTrustAnchor', { trustAnchorId: 'ta-1', name: 'anchor' }, 'roles-anywhere-trust', 'UpdateTrustAnchor anchor'],
    ['rolesanywhere.amazonaws.com', 'UpdateProfile', { profileId: 'p-1', roleArns: ['arn:aws:iam::123456789012:role/admin'] }, 'roles-anywhere-trust',
      'UpdateProfile p-1, for arn:aws:iam::123456789012:role/admin'],
    ['bedrock.amazonaws.com', 'DeleteModelInvocationLoggingConfiguration', {}, 'bedrock-logging-deleted', 'model invocation logging deleted in sa-east-1'],
  ])('%s %s raises %s', (source, name, request, id, reason) => {
    const alert = alertOf(cloudTrailRecord(source, name, request))!;
    expect([alert.detectionId, alert.what]).toEqual([id, `${detection(id as never).title}: ${reason}.`]);
  });

  test('a failed call is an attempt', () => {
    const alert = alertOf(cloudTrailRecord('ec2.amazonaws.com', 'EnableSerialConsoleAccess', {}, null, { errorCode: 'UnauthorizedOperation' }))!;
    expect(alert.what).toMatch(/serial console access enabled in sa-east-1 attempted \(failed: UnauthorizedOperation\)\./);
  });
});

describe('ABUSE_JUDGES', () => {
  test('judges every abuse detection and root activity, and is part of the notifier\'s call judges', () => {
    expect(Object.keys(ABUSE_JUDGES).sort()).toEqual([...ABUSE_IDS].sort());
    for (const [id, judge] of Object.entries(ABUSE_JUDGES)) expect(CALL_JUDGES[id as keyof typeof CALL_JUDGES]).toBe(judge);
  });

  test('any field of any type in the request of any abuse call: no judge throws', () => {
    const calls = JUDGED_CALL_DETECTIONS.filter((d) => ABUSE_IDS.has(d.id)).map((d) => d.signal).flatMap((signal) => (signal.kind === 'cloudtrail'
      ? signal.eventNames.map((n) => [signal.eventSource, n] as const) : [['ec2.amazonaws.com', 'DescribeInstances'] as const]));
    const fields = ['userName', 'policyArn', 'roleName', 'instanceIds', 'target', 'documentName', 'principal', 'sourceArn', 'functionName', 'action',
      'name', 'roleArns', 'instanceId', 'modelId', 'trustAnchorId'];
    fc.assert(fc.property(fc.constantFrom(...calls), fc.dictionary(fc.constantFrom(...fields), fc.jsonValue()), fc.boolean(), fc.jsonValue(),
      ([source, name], request, root, readOnly) => {
        const record = { ...cloudTrailRecord(source, name, request), readOnly };
        // The root-activity call is selected only when root makes it.
        const read = alertForEvent(root || name === 'DescribeInstances' ? asRoot(record) : record, CONTEXT);
        expect(read.recognised).toBe(true);
        if (read.alert) expect(toAlertMessage(read.alert).subject.length).toBeLessThan(100);
      }), { numRuns: 2000 });
  });
});
