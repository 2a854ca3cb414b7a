import * as fc from 'fast-check';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { isGuardDeployment, isGuardResource } from '../../../../lambda/core/notifier/guard-context';
import { EMPTY_GUARD_CONTEXT, GuardContext } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const CONTEXT: GuardContext = {
  deployPrincipals: ['arn:aws:sts::123456789012:assumed-role/cdk-*-cfn-exec-role-*/*', 'arn:aws:iam::123456789012:role/deploy/pipeline-role'],
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

describe('isGuardDeployment', () => {
  test('the CDK deployment role\'s session deploys the guard', () => {
    const record = disableRule('arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1/AWSCloudFormation');
    expect(isGuardDeployment(record, CONTEXT)).toBe(true);
  });

  test('CloudFormation acting for anyone deploys the guard', () => {
    const record = disableRule('arn:aws:iam::123456789012:user/deployer', { invokedBy: 'cloudformation.amazonaws.com' });
    expect(isGuardDeployment(record, EMPTY_GUARD_CONTEXT)).toBe(true);
  });

  test('a role with a path is matched through the role behind its session', () => {
    const record = disableRule('arn:aws:sts::123456789012:assumed-role/pipeline-role/build-42', {
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/deploy/pipeline-role' } },
    });
    expect(isGuardDeployment(record, CONTEXT)).toBe(true);
    // Without the session issuer the path is unknown, and the pattern names the role with its path.
    expect(isGuardDeployment(disableRule('arn:aws:sts::123456789012:assumed-role/pipeline-role/build-42'), CONTEXT)).toBe(false);
  });

  test.each([
    ['an IAM user', 'arn:aws:iam::123456789012:user/ci-bot'],
    ['a deployment role of another account',
      'arn:aws:sts::999999999999:assumed-role/cdk-hnb659fds-cfn-exec-role-999999999999-sa-east-1/AWSCloudFormation'],
    ['a role whose name only starts like the deployment role\'s', 'arn:aws:sts::123456789012:assumed-role/cdk-evil/session'],
  ])('%s does not deploy the guard', (_name, principalArn) => {
    expect(isGuardDeployment(disableRule(principalArn), CONTEXT)).toBe(false);
  });

  test('no real call of the attack logs is taken for the guard\'s deployment, not even those AWS made internally', () => {
    const records = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl')
      .map((r) => readRecord(r))
      .filter((r): r is CloudTrailRecord => typeof r !== 'string');
    expect(records.some((r) => r.invokedBy === 'AWS Internal')).toBe(true);
    expect(records.filter((r) => isGuardDeployment(r, CONTEXT))).toEqual([]);
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
