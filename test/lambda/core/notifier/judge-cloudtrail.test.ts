import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import type { GuardContext } from '../../../../lib/catalog';
import { PRINCIPAL_CASES, userIdentityOf } from '../../../fixtures/compute-policy-cases';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const CONTEXT: GuardContext = {
  deployPrincipals: ['arn:aws:sts::123456789012:assumed-role/cdk-*-cfn-exec-role-*/*'],
  guardNamePrefixes: ['MiningGuardBasic-'],
  guardArns: ['arn:aws:kms:sa-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  trailBuckets: ['miningguardbasic-trailbucket-abc123'],
};

/** The catalog detection a record raises through the notifier, or undefined (judged harmless, or selected by no rule). */
function detectionOf(record: unknown): string | undefined {
  const id = alertForEvent(record, CONTEXT).alert?.detectionId;
  return id === 'unrecognised-event' ? undefined : id;
}

describe('the Stratus Red Team detonations this guard covers', () => {
  const records = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
  const index = new Map(readJsonLines('cloudtrail/attack/stratus_detonation_logs.index.jsonl').map((i) => [i.eventID as string, i.technique as string]));

  test.each([
    ['aws.defense-evasion.cloudtrail-stop', 'cloudtrail-tampering'],
    ['aws.defense-evasion.cloudtrail-delete', 'cloudtrail-tampering'],
    ['aws.defense-evasion.cloudtrail-event-selectors', 'cloudtrail-tampering'],
    ['aws.defense-evasion.organizations-leave', 'organization-leave'],
    ['aws.defense-evasion.vpc-remove-flow-logs', 'flow-logs-deleted'],
    ['aws.defense-evasion.dns-delete-logs', 'dns-logs-deleted'],
    ['aws.initial-access.console-login-without-mfa', 'suspicious-console-login'],
    ['aws.persistence.iam-backdoor-user', 'access-key-for-another-user'],
    ['aws.persistence.iam-create-admin-user', 'admin-policy-attached'],
    ['aws.persistence.iam-create-admin-user', 'access-key-for-another-user'],
    ['aws.persistence.iam-create-backdoor-role', 'admin-policy-attached'],
    ['aws.persistence.iam-backdoor-role', 'role-trust-change'],
    ['aws.persistence.iam-create-user-login-profile', 'login-profile-change'],
    ['aws.privilege-escalation.iam-update-user-login-profile', 'login-profile-change'],
    ['aws.persistence.sts-federation-token', 'federation-token'],
  ])('%s raises %s', (technique, detection) => {
    const raised = records.filter((r) => index.get(r.eventID as string) === technique).map(detectionOf);
    expect(raised).toContain(detection);
  });
});

describe('the Invictus account\'s detonations', () => {
  test('StopLogging, DeleteTrail, PutEventSelectors, DeleteFlowLogs, LeaveOrganization and the backdoor user raise alerts', () => {
    const records = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
    const labels = new Map(readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.labels.jsonl').map((l) => [l.eventID as string, l.label as string]));
    const raised = records.filter((r) => labels.get(r.eventID as string) === 'attack_detonation').map(detectionOf).filter(Boolean);
    for (const detection of ['cloudtrail-tampering', 'flow-logs-deleted', 'organization-leave', 'admin-policy-attached', 'access-key-for-another-user', 'login-profile-change', 'role-trust-change', 'suspicious-console-login']) {
      expect(raised).toContain(detection);
    }
  });
});

describe('no alert for', () => {
  test('the AWS documentation\'s console logins with MFA', () => {
    const logins = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl').filter((r) => r.eventName === 'ConsoleLogin');
    const withMfa = logins.filter((r) => (r.additionalEventData as { MFAUsed?: string } | undefined)?.MFAUsed === 'Yes' && (r.userIdentity as { type: string }).type !== 'Root');
    expect(withMfa.length).toBeGreaterThan(0);
    expect(withMfa.map(detectionOf)).toEqual(withMfa.map(() => undefined));
  });

  test('anything in the AWS-service background activity', () => {
    const background = readJsonLines('cloudtrail/benign/invictus_aws_service_background.jsonl');
    expect(background.map(detectionOf).filter(Boolean)).toEqual([]);
  });
});

describe('the guard\'s own resources', () => {
  const disableRule = (principalArn: string, invokedBy?: string) => {
    const record = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C' }, null, { principalArn });
    return eventBridgeEvent(invokedBy ? { ...record, userIdentity: { ...(record.userIdentity as object), invokedBy } } : record);
  };

  test('a change by the deploying CloudFormation role raises no alert', () => {
    expect(detectionOf(disableRule('arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1/AWSCloudFormation'))).toBeUndefined();
    expect(detectionOf(disableRule('arn:aws:iam::123456789012:user/deployer', 'cloudformation.amazonaws.com'))).toBeUndefined();
  });

  test('the same call by anyone else is a critical alert', () => {
    const alert = alertForEvent(disableRule('arn:aws:iam::123456789012:user/ci-bot'), CONTEXT).alert!;
    expect(alert.detectionId).toBe('guard-rule-tampering');
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][CRITICAL] DisableRule by user/ci-bot in sa-east-1');
  });

  test('someone else\'s rule is not the guard\'s business', () => {
    expect(detectionOf(cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'team-nightly-job' }))).toBeUndefined();
  });

  test.each([
    ['a lifecycle on the trail bucket', cloudTrailRecord('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'miningguardbasic-trailbucket-abc123' }), 'trail-bucket-tampering'],
    ['the guard\'s key disabled', cloudTrailRecord('kms.amazonaws.com', 'DisableKey', { keyId: 'arn:aws:kms:sa-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), 'guard-key-tampering'],
    ['the guard\'s function throttled to zero', cloudTrailRecord('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', { functionName: 'MiningGuardBasic-Notifier-XYZ', reservedConcurrentExecutions: 0 }), 'guard-function-tampering'],
    ['GuardDuty disabled', cloudTrailRecord('guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'abc', enable: false }), 'guardduty-tampering'],
    ['a filter that archives findings', cloudTrailRecord('guardduty.amazonaws.com', 'CreateFilter', { detectorId: 'abc', name: 'quiet', action: 'ARCHIVE' }), 'guardduty-tampering'],
    ['a public function URL', cloudTrailRecord('lambda.amazonaws.com', 'CreateFunctionUrlConfig20211031', { functionName: 'api', authType: 'NONE' }), 'public-function-url'],
  ])('%s raises %s', (_name, record, detection) => {
    expect(detectionOf(record)).toBe(detection);
  });

  test.each([
    ['a lifecycle on another bucket', cloudTrailRecord('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'website' })],
    ['concurrency set above zero', cloudTrailRecord('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', { functionName: 'MiningGuardBasic-Notifier-XYZ', reservedConcurrentExecutions: 5 })],
    ['GuardDuty left enabled', cloudTrailRecord('guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'abc', enable: true, findingPublishingFrequency: 'ONE_HOUR' })],
    ['an access key for oneself', cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'ci-bot' })],
    ['a read-only policy attached', cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'x', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })],
    ['an authenticated function URL', cloudTrailRecord('lambda.amazonaws.com', 'CreateFunctionUrlConfig20211031', { functionName: 'api', authType: 'AWS_IAM' })],
  ])('%s raises nothing', (_name, record) => {
    expect(detectionOf(record)).toBeUndefined();
  });
});

describe('the compute policy\'s principal case table, on the deployers whose changes to the guard are not tampering', () => {
  test.each(PRINCIPAL_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN one of the guard's rules deleted by the case's principal, named as a deployer by the case's patterns
    const context: GuardContext = { ...CONTEXT, deployPrincipals: c.exemptPrincipals };
    const record = { ...cloudTrailRecord('events.amazonaws.com', 'DeleteRule', { name: 'MiningGuardBasic-LaunchWatchRule-1ABC' }), userIdentity: userIdentityOf(c) };
    // WHEN
    const alert = alertForEvent(eventBridgeEvent(record), context).alert;
    // THEN a deployer's change is no alert; anyone else's is guard tampering
    expect(alert?.detectionId).toBe(c.exempt ? undefined : 'guard-rule-tampering');
  });
});
