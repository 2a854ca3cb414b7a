import * as sdk from '@aws-sdk/client-ec2';
import { CreateSecurityGroupCommand, EC2Client, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { isolationGroup } from '../../../../lambda/aws/launch/isolation-group';
import { ISOLATION_TAG } from '../../../../lib/catalog';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { StubbedEc2 } from '../../../harness/stubbed-ec2';

const ec2 = mockClient(EC2Client);
const TAGS = { 'mining-guard:detection': 'ec2-instance-launch' };
const GUARD_TAG = { Key: ISOLATION_TAG.key, Value: ISOLATION_TAG.value };
const ALLOW_ALL = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
let account: StubbedEc2;
let client: EC2Client;

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  account = new StubbedEc2(ec2);
  client = new EC2Client({ region: 'eu-west-1' });
});

describe('isolationGroup', () => {
  test('creates a tagged group under a name nobody can hold in advance, with no rules at all', async () => {
    // WHEN
    const { groupId, notes } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect(notes).toEqual([]);
    const [group] = account.groups;
    expect(group).toMatchObject({ GroupId: groupId, VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [] });
    expect(group.GroupName).toMatch(/^mining-guard-quarantine-[0-9a-f]{12}$/);
    expect(group.Tags).toEqual(expect.arrayContaining([GUARD_TAG, { Key: 'mining-guard:detection', Value: 'ec2-instance-launch' }]));
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0].args[0].input).toEqual({ GroupId: groupId, IpPermissions: ALLOW_ALL });
  });

  test('uses the guard\'s own group, found by its tag and its empty rules, without creating another', async () => {
    // GIVEN
    account.groups.push({ GroupId: 'sg-guard', GroupName: 'mining-guard-quarantine-0a1b2c3d4e5f', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [], Tags: [GUARD_TAG] });

    // WHEN
    const { groupId, notes } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect([groupId, notes]).toEqual(['sg-guard', []]);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
  });

  test.each([
    ['an allow-all group named as the guard used to name it', { GroupName: 'mining-guard-isolation', IpPermissionsEgress: ALLOW_ALL, Tags: [] },
      'it is not tagged as the guard\'s isolation group'],
    ['a group with the guard\'s tag that allows traffic', { GroupName: 'innocent', IpPermissions: ALLOW_ALL, Tags: [GUARD_TAG] }, 'it allows traffic'],
    ['a group with no rules and no tag', { GroupName: 'MiningGuard isolation', Tags: [] }, 'it is not tagged as the guard\'s isolation group'],
  ])('%s is never used, and the notes say it was ignored', async (_, squatted, why) => {
    // GIVEN
    account.groups.push({ GroupId: 'sg-squat', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [], ...squatted });

    // WHEN
    const { groupId, notes } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect(groupId).not.toBe('sg-squat');
    expect(account.groups.find((g) => g.GroupId === groupId))
      .toMatchObject({ IpPermissions: [], IpPermissionsEgress: [], Tags: expect.arrayContaining([GUARD_TAG]) });
    expect(notes).toEqual([`ignored security group sg-squat named ${JSON.stringify(squatted.GroupName)} in vpc-1: ${why}, so it is not used for quarantine`]);
  });

  test('a group of another VPC is not this VPC\'s', async () => {
    // GIVEN
    account.groups.push({ GroupId: 'sg-other', GroupName: 'g', VpcId: 'vpc-2', IpPermissions: [], IpPermissionsEgress: [], Tags: [GUARD_TAG] });

    // WHEN
    const { groupId } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect(groupId).not.toBe('sg-other');
  });

  test('a name someone took meanwhile is answered with another name', async () => {
    // GIVEN the first name is refused as a duplicate
    ec2.on(CreateSecurityGroupCommand).rejectsOnce(Object.assign(new Error('already exists'), { name: 'InvalidGroup.Duplicate' }))
      .resolves({ GroupId: 'sg-new' });
    account.groups.push({ GroupId: 'sg-new', GroupName: 'x', VpcId: 'vpc-9', IpPermissions: [], IpPermissionsEgress: ALLOW_ALL, Tags: [GUARD_TAG] });

    // WHEN
    const { groupId } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect(groupId).toBe('sg-new');
    const names = ec2.commandCalls(CreateSecurityGroupCommand).map((c) => c.args[0].input.GroupName);
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
  });

  test('a new group that still allows traffic after the revocation is refused, not used', async () => {
    // GIVEN EC2 ignores the revocation
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: false });

    // WHEN / THEN
    await expect(isolationGroup(sdk, client, 'vpc-1', TAGS)).rejects.toThrow(/still allows traffic or lost its tag/);
  });

  test('a group name is quoted bounded and without control characters', async () => {
    // GIVEN
    account.groups.push({ GroupId: 'sg-x', GroupName: `mining-guard\u0000\u202e${'x'.repeat(300)}`, VpcId: 'vpc-1', Tags: [] });

    // WHEN
    const { notes } = await isolationGroup(sdk, client, 'vpc-1', TAGS);

    // THEN
    expect(notes[0]).toContain(`named "mining-guard${'x'.repeat(52)}" in vpc-1`);
  });
});
