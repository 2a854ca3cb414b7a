import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import type { LookedUpFacts } from '../../../../lambda/core/notifier/event-reader';
import { judgeCloudTrail } from '../../../../lambda/core/notifier/judge-cloudtrail';
import { CREDENTIAL_DETECTIONS, GuardContext, TAMPER_DETECTIONS } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1';
const GUARD_TOPIC = 'arn:aws:sns:sa-east-1:123456789012:MiningGuardBasic-AlertsTopic-1A2B3C';

const CONTEXT: GuardContext = {
  deployPrincipals: [DEPLOY_ROLE],
  guardNamePrefixes: ['MiningGuardBasic-'],
  guardArns: [GUARD_TOPIC, 'arn:aws:kms:sa-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
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

/** A call CloudFormation makes in a session of a role, as CloudTrail records it. */
function byCloudFormation(record: Record<string, unknown>, roleArn: string): Record<string, unknown> {
  const name = roleArn.split('/').pop()!;
  return {
    ...record,
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::123456789012:assumed-role/${name}/AWSCloudFormation`,
      accountId: '123456789012',
      invokedBy: 'cloudformation.amazonaws.com',
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: '123456789012', userName: name } },
    },
  };
}

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

/** The verdict of the catalog detection that selects the record. */
function verdictOn(record: Record<string, unknown>, facts?: LookedUpFacts) {
  const call = read(record);
  const detection = [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS]
    .find((d) => d.signal.eventSource === call.eventSource && (d.signal.eventNames as readonly string[]).includes(call.eventName))!;
  return judgeCloudTrail(call, detection, CONTEXT, facts);
}

describe('the deployer exemption: only the guard\'s own resources, only its exact deploying role', () => {
  const guardRule = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C' });
  const teamRule = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'team-nightly-job' });

  test('the exact deploying role changing the guard\'s rule is exempt', () => {
    expect(detectionOf(eventBridgeEvent(byCloudFormation(guardRule, DEPLOY_ROLE)))).toBeUndefined();
    expect(verdictOn(byCloudFormation(guardRule, DEPLOY_ROLE))).toEqual({
      flagged: false, reason: 'MiningGuard\'s MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C changed by its deploying role (role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1)',
    });
  });

  test('the same role changing someone else\'s rule is judged as anyone\'s change is', () => {
    expect(verdictOn(byCloudFormation(teamRule, DEPLOY_ROLE))).toEqual(verdictOn(teamRule));
    expect(verdictOn(teamRule)).toEqual({ flagged: false, reason: 'team-nightly-job is not MiningGuard\'s' });
  });

  test('a look-alike role, cdk-evil-cfn-exec-role-x, is not exempt', () => {
    const alert = alertForEvent(eventBridgeEvent(byCloudFormation(guardRule, 'arn:aws:iam::123456789012:role/cdk-evil-cfn-exec-role-x')), CONTEXT).alert;
    expect(alert?.detectionId).toBe('guard-rule-tampering');
    expect(alert?.severity).toBe('CRITICAL');
  });

  test('CloudFormation acting for a user is not exempt: invokedBy alone exempts nothing', () => {
    const record = { ...guardRule, userIdentity: { ...(guardRule.userIdentity as object), invokedBy: 'cloudformation.amazonaws.com' } };
    expect(detectionOf(eventBridgeEvent(record))).toBe('guard-rule-tampering');
  });

  test('a CloudFormation-invoked CreateAccessKey for another user alerts, even by the deploying role', () => {
    const key = cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'backdoor' });
    expect(detectionOf(eventBridgeEvent(byCloudFormation(key, 'arn:aws:iam::123456789012:role/some-stack-role')))).toBe('access-key-for-another-user');
    expect(detectionOf(eventBridgeEvent(byCloudFormation(key, DEPLOY_ROLE)))).toBe('access-key-for-another-user');
  });

  test.each([
    ['StopLogging', cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }), 'cloudtrail-tampering'],
    ['an admin policy', cloudTrailRecord('iam.amazonaws.com', 'AttachRolePolicy', { roleName: 'x', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }), 'admin-policy-attached'],
    ['a public function URL', cloudTrailRecord('lambda.amazonaws.com', 'CreateFunctionUrlConfig20211031', { functionName: 'api', authType: 'NONE' }), 'public-function-url'],
  ])('%s through CloudFormation alerts, whichever role CloudFormation uses', (_name, record, detection) => {
    expect(detectionOf(eventBridgeEvent(byCloudFormation(record, DEPLOY_ROLE)))).toBe(detection);
    expect(detectionOf(eventBridgeEvent(byCloudFormation(record, 'arn:aws:iam::123456789012:role/any-stack')))).toBe(detection);
  });
});

describe('the guard\'s own resources', () => {
  const disableRule = (principalArn: string) => eventBridgeEvent(
    cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C' }, null, { principalArn }),
  );

  test('a change by anyone else is a critical alert', () => {
    const alert = alertForEvent(disableRule('arn:aws:iam::123456789012:user/ci-bot'), CONTEXT).alert!;
    expect(alert.detectionId).toBe('guard-rule-tampering');
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][CRITICAL] DisableRule by user/ci-bot in sa-east-1');
  });

  test('someone else\'s rule is not the guard\'s business', () => {
    expect(detectionOf(cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'team-nightly-job' }))).toBeUndefined();
  });

  test('unsubscribing from the guard\'s topic is a critical alert; from another topic, none', () => {
    const unsubscribe = (topic: string) => eventBridgeEvent(cloudTrailRecord('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `${topic}:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b` }));
    const alert = alertForEvent(unsubscribe(GUARD_TOPIC), CONTEXT).alert!;
    expect(alert.detectionId).toBe('guard-topic-tampering');
    expect(alert.severity).toBe('CRITICAL');
    expect(alert.what).toContain(`Unsubscribe on MiningGuard's ${GUARD_TOPIC}`);
    expect(detectionOf(unsubscribe('arn:aws:sns:sa-east-1:123456789012:team-builds'))).toBeUndefined();
  });

  test('an adopted alert topic, known by its ARN alone, is the guard\'s', () => {
    const adopted: GuardContext = { ...CONTEXT, guardArns: ['arn:aws:sns:sa-east-1:123456789012:secops-alerts'] };
    const record = cloudTrailRecord('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: 'arn:aws:sns:sa-east-1:123456789012:secops-alerts', attributeName: 'Policy' });
    expect(alertForEvent(record, adopted).alert?.detectionId).toBe('guard-topic-tampering');
    expect(alertForEvent(record, CONTEXT).alert).toBeUndefined();
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

describe('administrator access: the policy document decides', () => {
  const CUSTOMER_POLICY = 'arn:aws:iam::123456789012:policy/ops-everything';
  const inline = (statement: Record<string, unknown>) => cloudTrailRecord('iam.amazonaws.com', 'PutRolePolicy', {
    roleName: 'backdoor', policyName: 'p', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
  });

  test.each([
    ['`*` among other actions', inline({ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: '*' })],
    ['NotAction on every resource', inline({ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: '*' })],
    ['`iam:*`', inline({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })],
  ])('an inline %s alerts', (_name, record) => {
    expect(detectionOf(eventBridgeEvent(record))).toBe('admin-policy-attached');
  });

  test('attaching a customer-managed policy that grants everything alerts, judged by the document looked up for it', () => {
    const record = eventBridgeEvent(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'backdoor', policyArn: CUSTOMER_POLICY }));
    const facts: LookedUpFacts = { policyDocuments: new Map([[CUSTOMER_POLICY, { document: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }]]) };
    const alert = alertForEvent(record, CONTEXT, facts).alert!;
    expect(alert.detectionId).toBe('admin-policy-attached');
    expect(alert.what).toContain(`administrator access granted to backdoor: customer-managed policy ${CUSTOMER_POLICY}: statement 1 allows "*"`);
  });

  test('a policy that could not be read alerts, saying why', () => {
    const record = cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'backdoor', policyArn: CUSTOMER_POLICY });
    const facts: LookedUpFacts = { policyDocuments: new Map([[CUSTOMER_POLICY, { error: 'AccessDenied: not authorized to perform iam:GetPolicy' }]]) };
    expect(alertForEvent(record, CONTEXT, facts).alert?.what).toContain(`could not read policy ${CUSTOMER_POLICY}: AccessDenied: not authorized to perform iam:GetPolicy`);
  });

  test('an inline Deny of everything is no alert', () => {
    expect(detectionOf(eventBridgeEvent(inline({ Effect: 'Deny', Action: '*', Resource: '*' })))).toBeUndefined();
  });
});
