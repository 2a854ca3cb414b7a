import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lookUpPolicies, lookUpPolicy } from '../../../../lambda/aws/alerts/policy-lookup';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

test('reads the default version\'s document, URL-decoded as IAM encodes it', async () => {
  const arn = 'arn:aws:iam::123456789012:policy/decoded';
  iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { DefaultVersionId: 'v3' } });
  iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v3' }).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(DOCUMENT)) } });
  expect(await lookUpPolicy(arn)).toEqual({ document: JSON.stringify(DOCUMENT) });
});

test('caches a version\'s document, and reads the new one when the default version changes', async () => {
  const arn = 'arn:aws:iam::123456789012:policy/cached';
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '{}' } });
  await lookUpPolicy(arn);
  await lookUpPolicy(arn);
  expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 1);
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v2' } });
  await lookUpPolicy(arn);
  expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v2' });
});

test('a failure is returned as its reason, and not cached', async () => {
  const arn = 'arn:aws:iam::123456789012:policy/deleted';
  iam.on(GetPolicyCommand).rejects(Object.assign(new Error('Policy deleted was not found.'), { name: 'NoSuchEntityException' }));
  expect(await lookUpPolicy(arn)).toEqual({ error: 'NoSuchEntityException: Policy deleted was not found.' });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '{}' } });
  expect(await lookUpPolicy(arn)).toEqual({ document: '{}' });
});

test('a policy without a default version or document is a failure with its reason', async () => {
  iam.on(GetPolicyCommand).resolves({ Policy: {} });
  expect(await lookUpPolicy('arn:aws:iam::123456789012:policy/odd')).toEqual({ error: 'IAM named no default version' });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v9' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: {} });
  expect(await lookUpPolicy('arn:aws:iam::123456789012:policy/odd')).toEqual({ error: 'IAM returned no document for version v9' });
});

test('reads each policy once, each on its own', async () => {
  iam.on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::123456789012:policy/a' }).resolves({ Policy: { DefaultVersionId: 'v1' } });
  iam.on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::123456789012:policy/b' }).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '{}' } });
  const found = await lookUpPolicies(['arn:aws:iam::123456789012:policy/a', 'arn:aws:iam::123456789012:policy/b', 'arn:aws:iam::123456789012:policy/a']);
  expect([...found]).toEqual([
    ['arn:aws:iam::123456789012:policy/a', { document: '{}' }],
    ['arn:aws:iam::123456789012:policy/b', { error: 'AccessDenied: denied' }],
  ]);
});
