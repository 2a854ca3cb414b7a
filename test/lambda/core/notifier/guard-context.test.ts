import * as fc from 'fast-check';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { isGuardDeployment, isGuardResource, subscriptionTopicArn } from '../../../../lambda/core/notifier/guard-context';
import { EMPTY_GUARD_CONTEXT, GuardContext } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1';

const CONTEXT: GuardContext = {
  deployPrincipals: [DEPLOY_ROLE, 'arn:aws:iam::123456789012:role/deploy/pipeline-role'],
  guardNamePrefixes: ['MiningGuardBasic-'],
  guardArns: [
    'arn:aws:kms:sa-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:sns:sa-east-1:123456789012:alerts-topic',
  ],
  trailBuckets: ['miningguardbasic-trailbucket-abc123'],
};

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

const disableRule = (principalArn: string, identity: Record<string, unknown> = {}) => {
  const record = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-Rule' }, null, { principalArn });
  return read({ ...record, userIdentity: { ...(record.userIdentity as object), ...identity } });
};

/** A call CloudFormation makes in a session of a role, as CloudTrail records it. */
const sessionOf = (roleArn: string) => {
  const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn)!;
  return disableRule(`arn:aws:sts::${account}:assumed-role/${name}/AWSCloudFormation`, {
    invokedBy: 'cloudformation.amazonaws.com',
    sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: account, userName: name } },
  });
};

describe('isGuardDeployment', () => {
  test('a session of the guard\'s exact deploying role deploys the guard', () => {
    expect(isGuardDeployment(sessionOf(DEPLOY_ROLE), CONTEXT)).toBe(true);
    expect(isGuardDeployment(sessionOf('arn:aws:iam::123456789012:role/deploy/pipeline-role'), CONTEXT)).toBe(true);
  });

  test('CloudFormation acting for anyone else does not: invokedBy says a service acted, not for whom', () => {
    expect(isGuardDeployment(disableRule('arn:aws:iam::123456789012:user/deployer', { invokedBy: 'cloudformation.amazonaws.com' }), CONTEXT)).toBe(false);
    expect(isGuardDeployment(sessionOf('arn:aws:iam::123456789012:role/team-stack-role'), CONTEXT)).toBe(false);
  });

  test.each([
    ['a look-alike role named like the CDK\'s execution role', 'arn:aws:iam::123456789012:role/cdk-evil-cfn-exec-role-x'],
    ['the same role name in another account', 'arn:aws:iam::999999999999:role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1'],
    ['the deploying role\'s name under another path', 'arn:aws:iam::123456789012:role/other/pipeline-role'],
    ['the deploying role\'s name with a suffix', `${DEPLOY_ROLE}-copy`],
  ])('%s does not deploy the guard', (_name, roleArn) => {
    expect(isGuardDeployment(sessionOf(roleArn), CONTEXT)).toBe(false);
  });

  test('a session whose record names no session issuer is not taken for the deploying role', () => {
    expect(isGuardDeployment(disableRule('arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1/AWSCloudFormation'), CONTEXT)).toBe(false);
  });

  test('an IAM user does not deploy the guard, and without deploying roles nobody does', () => {
    expect(isGuardDeployment(disableRule('arn:aws:iam::123456789012:user/ci-bot'), CONTEXT)).toBe(false);
    expect(isGuardDeployment(sessionOf(DEPLOY_ROLE), EMPTY_GUARD_CONTEXT)).toBe(false);
  });

  test('no real call of the attack logs is taken for the guard\'s deployment, not even those AWS made internally', () => {
    const records = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl')
      .map((r) => readRecord(r))
      .filter((r): r is CloudTrailRecord => typeof r !== 'string');
    expect(records.some((r) => r.invokedBy === 'AWS Internal')).toBe(true);
    expect(records.filter((r) => isGuardDeployment(r, CONTEXT))).toEqual([]);
  });
});

describe('subscriptionTopicArn', () => {
  test.each([
    ['arn:aws:sns:sa-east-1:123456789012:alerts-topic:1d4a1c1e-1e7f-4d7b-9f3c-6b5e8a2f0c11', 'arn:aws:sns:sa-east-1:123456789012:alerts-topic'],
    ['arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo:abc', 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo'],
  ])('%s is a subscription of %s', (subscription, topic) => {
    expect(subscriptionTopicArn(subscription)).toBe(topic);
  });

  test.each([
    ['nothing', undefined],
    ['a topic ARN', 'arn:aws:sns:sa-east-1:123456789012:alerts-topic'],
    ['a subscription of another service', 'arn:aws:sqs:sa-east-1:123456789012:queue:abc'],
    ['a pending confirmation', 'pending confirmation'],
    ['a very long value', `arn:aws:sns:sa-east-1:123456789012:${'a'.repeat(600)}:id`],
  ])('%s names no topic', (_name, value) => {
    expect(subscriptionTopicArn(value)).toBeUndefined();
  });
});

describe('isGuardResource', () => {
  test.each([
    ['a name with the guard\'s prefix', 'MiningGuardBasic-Notifier'],
    ['an ARN whose name has the prefix', 'arn:aws:lambda:sa-east-1:123456789012:function:MiningGuardBasic-Notifier'],
    ['a rule ARN on a custom bus', 'arn:aws:events:sa-east-1:123456789012:rule/custom-bus/MiningGuardBasic-Rule'],
    ['one of the guard\'s ARNs', 'arn:aws:sns:sa-east-1:123456789012:alerts-topic'],
    ['a key id of one of the guard\'s keys', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['a topic name of one of the guard\'s topics', 'alerts-topic'],
  ])('%s is the guard\'s', (_name, nameOrArn) => {
    expect(isGuardResource(nameOrArn, CONTEXT)).toBe(true);
  });

  test.each([
    ['nothing', undefined],
    ['an empty name', ''],
    ['another function', 'image-resizer'],
    ['a name that contains the prefix later on', 'Copy-MiningGuardBasic-Notifier'],
    ['a part of a guard ARN\'s name', 'topic'],
    ['a key alias', 'alias/other'],
  ])('%s is not the guard\'s', (_name, nameOrArn) => {
    expect(isGuardResource(nameOrArn, CONTEXT)).toBe(false);
  });

  test('without a context, nothing is the guard\'s', () => {
    expect(isGuardResource('MiningGuardBasic-Notifier', EMPTY_GUARD_CONTEXT)).toBe(false);
  });

  test('any name against any context is answered without an error', () => {
    const contexts = fc.record({
      deployPrincipals: fc.array(fc.string({ maxLength: 60 }), { maxLength: 3 }),
      guardNamePrefixes: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }),
      guardArns: fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 }),
      trailBuckets: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }),
    });
    fc.assert(fc.property(fc.option(fc.string({ unit: 'binary', maxLength: 200 })), contexts, (nameOrArn, context) => {
      const answer = isGuardResource(nameOrArn ?? undefined, context);
      if (!nameOrArn) expect(answer).toBe(false);
      if (context.guardNamePrefixes.some((p) => nameOrArn?.startsWith(p) && !/[:/]/.test(nameOrArn))) expect(answer).toBe(true);
    }), { numRuns: 1000 });
  });
});
