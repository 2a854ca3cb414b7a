import {
  CreateSecurityGroupCommand, CreateTagsCommand, DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { containInstances, IDS_PER_CALL } from '../../../../lambda/aws/launch/contain-instances';
import { CALLS_IN_FLIGHT } from '../../../../lambda/aws/launch/in-parallel';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';
import { StubbedEc2 } from '../../../harness/stubbed-ec2';

const ec2 = mockClient(EC2Client);
const REGION = 'eu-west-1';
const TAGS = { 'mining-guard:detection': 'ec2-instance-launch', 'mining-guard:event-id': 'e-1' };
const NOW = { retryDelayMs: 0 };
let account: StubbedEc2;

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  account = new StubbedEc2(ec2);
});

describe('containInstances', () => {
  test('lifts stop and termination protection, stops and tags every instance, in the launch\'s region', async () => {
    // GIVEN two instances the attacker protected
    const ids = account.launch(2);

    // WHEN
    const report = await containInstances(REGION, ids, TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report).toEqual({ count: 2, failed: [], gone: [], unknown: [], notes: [] });
    for (const id of ids) {
      expect(account.instances.get(id)).toMatchObject({ state: 'stopped', disableApiStop: false, disableApiTermination: false });
      expect(Object.fromEntries(account.instances.get(id)!.tags)).toEqual(TAGS);
    }
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([ids]);
    expect(new Set(await Promise.all(ec2.calls().map(regionOf)))).toEqual(new Set([REGION]));
  });

  test('batches StopInstances, CreateTags and DescribeInstances, and keeps at most the bound of calls in flight', async () => {
    // GIVEN 250 instances, each answered after a few milliseconds
    ec2.reset();
    account = new StubbedEc2(ec2, 5);
    const ids = account.launch(250);

    // WHEN
    const report = await containInstances(REGION, ids, TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report.failed).toEqual([]);
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds!.length)).toEqual([IDS_PER_CALL, IDS_PER_CALL, 50]);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(3);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(3);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).toHaveLength(500);
    expect(account.maxInFlight).toBeGreaterThan(1);
    expect(account.maxInFlight).toBeLessThanOrEqual(CALLS_IN_FLIGHT);
  });

  test('an id EC2 does not know is reported as unknown, a terminated instance as gone, and neither holds up the rest', async () => {
    // GIVEN
    const [live] = account.launch(1);
    const [terminated] = account.launch(1, { state: 'terminated' });

    // WHEN
    const report = await containInstances(REGION, [live, terminated, 'i-0000000000000dead'], TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report).toEqual({
      count: 3,
      failed: [],
      gone: [{ id: terminated, reason: 'already terminated' }],
      unknown: [{ id: 'i-0000000000000dead', reason: 'EC2 does not know it in eu-west-1: never launched there, or terminated over an hour ago' }],
      notes: [],
    });
    expect(account.instances.get(live)!.state).toBe('stopped');
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([[live]]);
  });

  test('three stops out of 500 that fail once are retried, and nothing is reported failed', async () => {
    // GIVEN
    const ids = account.launch(500);
    for (const id of [ids[7], ids[250], ids[499]]) account.failingStops.set(id, 2);

    // WHEN
    const report = await containInstances(REGION, ids, TAGS, { quarantine: false, ...NOW });

    // THEN the batches holding them fell back to one call per instance, and the retry stopped them
    expect(report.failed).toEqual([]);
    expect([...account.instances.values()].filter((i) => i.state !== 'stopped')).toEqual([]);
  });

  test('three stops out of 500 that keep failing are each reported with AWS\'s reason, after one retry', async () => {
    // GIVEN
    const ids = account.launch(500);
    const failing = [ids[7], ids[250], ids[499]];
    for (const id of failing) account.failingStops.set(id, 100);

    // WHEN
    const report = await containInstances(REGION, ids, TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report.count).toBe(500);
    expect(report.failed).toEqual(failing.map((id) => ({ id, reason: `not stopped: InternalError: An internal error has occurred stopping ${id}` })));
    const singleStops = ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds!)
      .filter((stopped) => stopped.length === 1 && failing.includes(stopped[0]));
    expect(singleStops).toHaveLength(6);
    expect([...account.instances.values()].filter((i) => i.state !== 'stopped').map((i) => i.id)).toEqual(failing);
  });

  test('a protection that cannot be lifted is named with the stop it kept from happening', async () => {
    // GIVEN
    const [id] = account.launch(1);
    ec2.on(ModifyInstanceAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));

    // WHEN
    const report = await containInstances(REGION, [id], TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report.failed).toEqual([{
      id,
      reason: `not stopped: OperationNotPermitted: The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.; `
        + 'protection not lifted: UnauthorizedOperation: You are not authorized to perform this operation.',
    }]);
  });

  test('StopInstances\' answer is read: an instance it leaves out is a failure', async () => {
    // GIVEN
    const [id] = account.launch(1);
    ec2.on(StopInstancesCommand).resolves({ StoppingInstances: [] });

    // WHEN
    const report = await containInstances(REGION, [id], TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report.failed).toEqual([{ id, reason: 'not stopped: missing from StopInstances\' answer' }]);
  });

  test('quarantine moves every network interface into the isolation group, detaches the profile, then stops', async () => {
    // GIVEN an instance with two network interfaces and an instance profile
    const [id] = account.launch(1, { interfaces: 2, profile: true });

    // WHEN
    const report = await containInstances(REGION, [id], TAGS, { quarantine: true, ...NOW });

    // THEN
    expect(report.failed).toEqual([]);
    const [group] = account.groups;
    expect(group).toMatchObject({ VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [] });
    const instance = account.instances.get(id)!;
    expect([...instance.interfaces.values()]).toEqual([[group.GroupId], [group.GroupId]]);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(2);
    expect(instance).toMatchObject({ state: 'stopped', profileAssociation: undefined });
  });

  test('an isolation group that cannot be created at first is created by the retry, and every interface moved into it', async () => {
    // GIVEN
    const [id] = account.launch(1, { interfaces: 2 });
    const tagged = [{ Key: 'mining-guard:isolation', Value: 'true' }];
    ec2.on(CreateSecurityGroupCommand).rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503)).callsFakeOnce(async () => {
      account.groups.push({ GroupId: 'sg-guard', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [], Tags: tagged });
      return { GroupId: 'sg-guard' };
    });

    // WHEN
    const report = await containInstances(REGION, [id], TAGS, { quarantine: true, ...NOW });

    // THEN
    expect(report.failed).toEqual([]);
    expect([...account.instances.get(id)!.interfaces.values()]).toEqual([['sg-guard'], ['sg-guard']]);
  });

  test('an interface that cannot be isolated fails the instance, which is still stopped', async () => {
    // GIVEN
    const [id] = account.launch(1, { interfaces: 2 });
    ec2.on(ModifyNetworkInterfaceAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));

    // WHEN
    const report = await containInstances(REGION, [id], TAGS, { quarantine: true, ...NOW });

    // THEN
    expect(report.failed).toEqual([{ id, reason: 'not isolated: UnauthorizedOperation: You are not authorized to perform this operation.' }]);
    expect(account.instances.get(id)!.state).toBe('stopped');
  });

  test('a refused tag is a note, never a failure', async () => {
    // GIVEN
    const ids = account.launch(2);
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));

    // WHEN
    const report = await containInstances(REGION, ids, TAGS, { quarantine: false, ...NOW });

    // THEN
    expect(report.failed).toEqual([]);
    expect(report.notes).toEqual([`not tagged: 2 instance(s) from ${ids[0]}: UnauthorizedOperation: You are not authorized to perform this operation.`]);
  });
});
