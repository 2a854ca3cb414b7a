import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { ADMIN_MANAGED_POLICIES, judgeAdminPolicy, policiesToLookUp, policyDocumentsIn } from '../../../../lambda/core/notifier/admin-policy';
import type { LookedUpFacts, PolicyLookup } from '../../../../lambda/core/notifier/event-reader';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const CUSTOMER_POLICY = 'arn:aws:iam::123456789012:policy/team/ops-all';

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

const attach = (policyArn: unknown, eventName = 'AttachRolePolicy') => read(cloudTrailRecord('iam.amazonaws.com', eventName, { roleName: 'backdoor', policyArn }));
const inline = (policyDocument: unknown) => read(cloudTrailRecord('iam.amazonaws.com', 'PutUserPolicy', { userName: 'x', policyName: 'p', policyDocument }));
const looked = (lookup: PolicyLookup): LookedUpFacts => ({ policyDocuments: new Map([[CUSTOMER_POLICY, lookup]]) });

describe('judgeAdminPolicy', () => {
  test.each(ADMIN_MANAGED_POLICIES.map((name) => [name]))('the AWS managed %s is administrator access', (name) => {
    expect(judgeAdminPolicy(attach(`arn:aws:iam::aws:policy/${name}`))).toEqual({ admin: true, reason: `AWS managed policy ${name}` });
  });

  test.each([
    ['ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ['a job-function policy', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
    ['a service role policy named like an admin one', 'arn:aws:iam::aws:policy/service-role/AdministratorAccess'],
  ])('%s is not', (_name, arn) => {
    expect(judgeAdminPolicy(attach(arn)).admin).toBe(false);
  });

  test('an inline Deny of everything is not administrator access; an inline Allow of everything is', () => {
    expect(judgeAdminPolicy(inline(JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }))).admin).toBe(false);
    expect(judgeAdminPolicy(inline(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })))).toEqual({ admin: true, reason: 'inline policy "p": statement 1 allows "*"' });
  });

  test('a customer-managed policy is judged by the document looked up for it', () => {
    const all = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const some = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    expect(judgeAdminPolicy(attach(CUSTOMER_POLICY), looked({ document: all }))).toEqual({ admin: true, reason: `customer-managed policy ${CUSTOMER_POLICY}: statement 1 allows "*"` });
    expect(judgeAdminPolicy(attach(CUSTOMER_POLICY), looked({ document: some })).admin).toBe(false);
  });

  test('a lookup that failed, or was never made, is reported, never passed', () => {
    expect(judgeAdminPolicy(attach(CUSTOMER_POLICY), looked({ error: 'AccessDenied: not authorized' })))
      .toEqual({ admin: true, reason: `could not read policy ${CUSTOMER_POLICY}: AccessDenied: not authorized` });
    expect(judgeAdminPolicy(attach(CUSTOMER_POLICY), {})).toEqual({ admin: true, reason: `could not read policy ${CUSTOMER_POLICY}: it was not looked up` });
  });

  test('offline, without facts, a customer-managed policy is passed saying it was not read', () => {
    expect(judgeAdminPolicy(attach(CUSTOMER_POLICY))).toEqual({
      admin: false, reason: `customer-managed policy ${CUSTOMER_POLICY} was not read here: its document is judged when the deployed guard looks it up`,
    });
  });

  test.each([
    ['no policy ARN', undefined],
    ['an ARN of the wrong shape', 'arn:aws:iam::123456789012:role/x'],
  ])('%s is flagged for a person', (_name, arn) => {
    expect(judgeAdminPolicy(attach(arn)).admin).toBe(true);
  });
});

describe('policiesToLookUp', () => {
  test('names the customer-managed policy an Attach call attaches, bare or wrapped', () => {
    const record = cloudTrailRecord('iam.amazonaws.com', 'AttachGroupPolicy', { groupName: 'g', policyArn: CUSTOMER_POLICY });
    expect(policiesToLookUp(record)).toEqual([CUSTOMER_POLICY]);
    expect(policiesToLookUp(eventBridgeEvent(record))).toEqual([CUSTOMER_POLICY]);
  });

  test.each([
    ['an AWS managed policy', cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'u', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })],
    ['an inline policy', cloudTrailRecord('iam.amazonaws.com', 'PutRolePolicy', { roleName: 'r', policyDocument: '{}' })],
    ['another call', cloudTrailRecord('s3.amazonaws.com', 'AttachRolePolicy', { policyArn: CUSTOMER_POLICY })],
    ['a policy ARN that is not a string', cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { policyArn: { arn: CUSTOMER_POLICY } })],
    ['not a record', 'AttachUserPolicy'],
  ])('nothing for %s', (_name, event) => {
    expect(policiesToLookUp(event)).toEqual([]);
  });
});

describe('policyDocumentsIn: what replayed logs tell of the policies they created', () => {
  const ALL = '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
  const created = (name: string, document: string) => cloudTrailRecord('iam.amazonaws.com', 'CreatePolicy', { policyName: name, policyDocument: document }, {
    policy: { policyName: name, arn: `arn:aws:iam::123456789012:policy/${name}`, defaultVersionId: 'v1' },
  });

  test('a created policy\'s document, and a later default version\'s, by ARN', () => {
    const found = policyDocumentsIn([
      created('ops', '{"Statement":[]}'),
      eventBridgeEvent(cloudTrailRecord('iam.amazonaws.com', 'CreatePolicyVersion', { policyArn: 'arn:aws:iam::123456789012:policy/ops', policyDocument: ALL, setAsDefault: true })),
      cloudTrailRecord('iam.amazonaws.com', 'CreatePolicyVersion', { policyArn: 'arn:aws:iam::123456789012:policy/ops', policyDocument: '{}', setAsDefault: false }),
    ]);
    expect([...found]).toEqual([['arn:aws:iam::123456789012:policy/ops', { document: ALL }]]);
  });

  test('the real Stratus logs\' policies are learned and judged as the deployed guard would judge their documents', () => {
    const records = readJsonLines('cloudtrail/benign/invictus_terraform_setup_teardown.jsonl');
    const documents = policyDocumentsIn(records);
    const attached = records.map((r) => readRecord(r))
      .find((r): r is CloudTrailRecord => typeof r !== 'string' && r.eventName === 'AttachRolePolicy' && policiesToLookUp(r.raw).length > 0)!;
    expect(judgeAdminPolicy(attached, { policyDocuments: documents })).toMatchObject({ admin: false, reason: expect.stringContaining('customer-managed policy arn:aws:iam::123837392027:policy/stratus-red-team-ec2lui-policy-') });
  });

  test.each([
    ['a failed CreatePolicy', { ...created('x', ALL), errorCode: 'AccessDenied' }],
    ['a CreatePolicy without its response', cloudTrailRecord('iam.amazonaws.com', 'CreatePolicy', { policyName: 'x', policyDocument: ALL })],
    ['another service', cloudTrailRecord('s3.amazonaws.com', 'CreatePolicy', { policyDocument: ALL }, { policy: { arn: 'arn:aws:iam::123456789012:policy/x' } })],
    ['not a record', 42],
  ])('nothing from %s', (_name, record) => {
    expect(policyDocumentsIn([record]).size).toBe(0);
  });
});
