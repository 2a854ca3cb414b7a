import * as fc from 'fast-check';
import { judgePolicyDocument } from '../../../../lambda/core/notifier/policy-document';

const allow = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] });

describe('judgePolicyDocument: administrator-equivalent grants', () => {
  test.each([
    ['`*` among other actions', allow({ Action: ['s3:GetObject', '*'] })],
    ['`*` alone, as a string', allow({ Action: '*' })],
    ['`*:*`', allow({ Action: '*:*' })],
    ['`iam:*`', allow({ Action: 'iam:*' })],
    ['`IAM:*` in another case', allow({ Action: ['IAM:*'] })],
    ['`iam*`, a wildcard that still matches every IAM action', allow({ Action: 'iam*' })],
    ['NotAction on every resource', allow({ NotAction: 's3:DeleteBucket' })],
    ['a single Statement object instead of a list', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }],
    ['a JSON string, as a request carries it', JSON.stringify(allow({ Action: '*' }))],
    ['a URL-encoded string, as IAM returns it', encodeURIComponent(JSON.stringify(allow({ Action: 'iam:*' })))],
    ['a grant after a Deny', { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] }],
    ['`*` with NotResource', { Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::logs/*' }] }],
  ])('%s', (_name, document) => {
    expect(judgePolicyDocument(document).grantsAdmin).toBe(true);
  });

  test('says which statement grants it', () => {
    expect(judgePolicyDocument({ Statement: [{ Sid: 'Backdoor', Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: '*' }] }).reason)
      .toBe('statement "Backdoor" allows "*"');
    expect(judgePolicyDocument(allow({ NotAction: ['iam:*'] })).reason).toBe('statement 1 allows every action but 1 (NotAction) on every resource');
  });

  // The AWS managed policies the admin-policy judge knows by name, as AWS publishes them.
  test.each([
    ['AdministratorAccess', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    ['IAMFullAccess', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization'], Resource: '*' }] }],
    ['PowerUserAccess', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        { Effect: 'Allow', Action: ['account:GetAccountInformation', 'iam:CreateServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization'], Resource: '*' },
      ],
    }],
  ])('the published document of %s', (_name, document) => {
    expect(judgePolicyDocument(document).grantsAdmin).toBe(true);
  });
});

describe('judgePolicyDocument: less than administrator access', () => {
  test.each([
    ['a Deny of everything', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }],
    ['a Deny with NotAction', { Statement: [{ Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }] }],
    ['read-only EC2', allow({ Action: ['ec2:Describe*'] })],
    ['every S3 action', allow({ Action: 's3:*' })],
    ['some IAM actions, not all', allow({ Action: ['iam:Get*', 'iam:List*'] })],
    ['`*` on one bucket only', { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::reports/*' }] }],
    ['NotAction on named resources', { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::reports/*' }] }],
    ['NotAction that excludes everything', allow({ NotAction: '*' })],
    ['no statement at all', { Version: '2012-10-17', Statement: [] }],
  ])('%s', (_name, document) => {
    expect(judgePolicyDocument(document).grantsAdmin).toBe(false);
  });

  test('the real inline policies of the Stratus detonations', () => {
    const document = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Action": "ec2:Describe*",\n            "Resource": "*",\n            "Effect": "Allow"\n        }\n    ]\n}\n';
    expect(judgePolicyDocument(document)).toEqual({ grantsAdmin: false, reason: 'no Allow statement grants every action or every IAM action' });
  });
});

describe('judgePolicyDocument: unreadable documents are flagged for a person, never thrown on', () => {
  test.each([
    ['not JSON', '{"Statement": [', 'unreadable policy (not a JSON object)'],
    ['a number', 42, 'unreadable policy (a number instead of a document)'],
    ['null', null, 'unreadable policy (a null instead of a document)'],
    ['no Statement', { Version: '2012-10-17' }, 'unreadable policy (no Statement)'],
    ['an Action of the wrong type', { Statement: [{ Effect: 'Allow', Action: 7, Resource: '*' }] }, 'unreadable policy (statement 1 has an Action that is not a string or list of strings)'],
    ['a statement without Effect', { Statement: [{ Action: 's3:GetObject', Resource: '*' }] }, 'unreadable policy (statement 1 has no Effect)'],
    ['a document longer than IAM allows', 'x'.repeat(200_000), 'unreadable policy (200000 characters, more than IAM allows)'],
  ])('%s', (_name, document, reason) => {
    expect(judgePolicyDocument(document)).toEqual({ grantsAdmin: true, reason });
  });

  test('any value, of any shape, is judged without an error', () => {
    const element = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), fc.integer(), fc.constant(null), fc.constant('*'));
    const statement = fc.record({ Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow'), fc.anything()), Action: element, NotAction: element, Resource: element }, { requiredKeys: [] });
    const documents = fc.oneof(fc.anything(), fc.record({ Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), fc.anything()) }));
    fc.assert(fc.property(documents, (document) => {
      const verdict = judgePolicyDocument(document);
      expect(typeof verdict.grantsAdmin).toBe('boolean');
      expect(typeof verdict.reason).toBe('string');
    }), { numRuns: 2000 });
  });
});

test('a pattern written to make a matcher backtrack is judged at once', () => {
  const hostile = allow({ Action: [`${'*a'.repeat(120)}b`, `iam:${'?*'.repeat(120)}`] });
  expect(judgePolicyDocument(hostile).grantsAdmin).toBe(false);
});
