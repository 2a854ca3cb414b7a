import { judgeTopicKey, TOPIC_PUBLISHERS } from '../../../../lambda/core/doctor/topic-key';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ROOT = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

describe('judgeTopicKey', () => {
  test('a key allowing every publisher GenerateDataKey* and Decrypt passes each', () => {
    // GIVEN the statement the guard's key gets (GuardKey.allowServices), with its aws:SourceAccount condition
    const checks = judgeTopicKey(TOPIC, KEY, policy(ROOT, {
      Effect: 'Allow',
      Principal: { Service: [...TOPIC_PUBLISHERS] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    }));
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'PASS', 'PASS']);
  });

  test('a key granting only the account fails each publisher, naming the statement to add', () => {
    const checks = judgeTopicKey(TOPIC, KEY, policy(ROOT));
    expect(checks.map((c) => c.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(checks[0].fix).toContain('"Service": "events.amazonaws.com"');
  });

  test('a grant of Decrypt alone fails for the missing GenerateDataKey*', () => {
    const [events] = judgeTopicKey(TOPIC, KEY, policy({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }), ['events.amazonaws.com']);
    expect(events.detail).toContain('kms:GenerateDataKey*');
    expect(events.detail).not.toContain('or kms:Decrypt');
  });

  test('an unencrypted topic passes; the AWS managed key fails; an unreadable policy fails', () => {
    expect(judgeTopicKey(TOPIC, undefined, undefined)[0].status).toBe('PASS');
    expect(judgeTopicKey(TOPIC, 'alias/aws/sns', undefined)[0].status).toBe('FAIL');
    expect(judgeTopicKey(TOPIC, KEY, 'not json')[0].status).toBe('FAIL');
  });

  test('kms:* and an unconditional Deny are read as IAM reads them', () => {
    const allowAll = { Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'kms:*', Resource: '*' };
    expect(judgeTopicKey(TOPIC, KEY, policy(allowAll), ['budgets.amazonaws.com'])[0].status).toBe('PASS');
    const deny = { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    expect(judgeTopicKey(TOPIC, KEY, policy(allowAll, deny), ['budgets.amazonaws.com'])[0].status).toBe('FAIL');
  });

  test('a role publishes when the key policy names it or lets the account\'s IAM policies grant the key', () => {
    const role = 'arn:aws:iam::111122223333:role/Existing-Notifier';
    const kms = ['kms:GenerateDataKey*', 'kms:Decrypt'];
    expect(judgeTopicKey(TOPIC, KEY, policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }), [role])[0].status).toBe('PASS');
    expect(judgeTopicKey(TOPIC, KEY, policy({ Effect: 'Allow', Principal: { AWS: [role] }, Action: kms, Resource: '*' }), [role])[0].status).toBe('PASS');
    expect(judgeTopicKey(TOPIC, KEY, policy({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: kms, Resource: '*' }), [role])[0].status).toBe('PASS');
    const denied = judgeTopicKey(TOPIC, KEY, policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' }), [role])[0];
    expect(denied).toMatchObject({ name: `alert topic key for ${role}`, status: 'FAIL' });
    expect(denied.fix).toContain(`"Principal": {"AWS": "${role}"}`);
  });

  test('the AWS managed key fails for each service that publishes, with the fix, and passes for roles alone', () => {
    const role = 'arn:aws:iam::111122223333:role/Existing-Notifier';
    const checks = judgeTopicKey(TOPIC, 'alias/aws/sns', undefined, [role, 'events.amazonaws.com', 'cloudwatch.amazonaws.com']);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['alert topic key for events.amazonaws.com', 'FAIL'],
      ['alert topic key for cloudwatch.amazonaws.com', 'FAIL'],
    ]);
    expect(checks[1].fix).toContain('customer-managed key');
    expect(checks[1].fix).toContain('"Service": "cloudwatch.amazonaws.com"');
    expect(judgeTopicKey(TOPIC, 'arn:aws:kms:eu-west-1:111122223333:alias/aws/sns', undefined, [role])).toEqual([expect.objectContaining({ status: 'PASS' })]);
  });
});
