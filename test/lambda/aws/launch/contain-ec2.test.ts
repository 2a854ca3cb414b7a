import {
  CancelSpotFleetRequestsCommand, CancelSpotInstanceRequestsCommand, CreateSecurityGroupCommand, CreateTagsCommand, DeleteFleetsCommand,
  DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand, DisassociateIamInstanceProfileCommand,
  EC2Client, ModifyInstanceAttributeCommand, RevokeSecurityGroupEgressCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  cancelSpotFleetRequest, cancelSpotInstanceRequest, deleteFleetKeepInstances, stopInstance,
} from '../../../../lambda/aws/launch/contain-ec2';
import { NotTagged } from '../../../../lambda/aws/launch/tagging';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const ec2 = mockClient(EC2Client);
const REGION = 'eu-west-1';
const TAGS = {
  'mining-guard:detection': 'ec2-instance-launch',
  'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
  'mining-guard:event-id': 'c2d3e4f5-0000-4a5b-8c9d-0123456789ab',
};
const EC2_TAGS = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }));
const DENIED = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);

/** The commands sent, by name, in order. */
function sent(): string[] {
  return ec2.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ''));
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  ec2.onAnyCommand().resolves({});
});

describe('stopInstance', () => {
  test('turns off stop and termination protection, stops, then tags, in the launch\'s region', async () => {
    // WHEN
    await stopInstance(REGION, 'i-0aaa', false, TAGS);

    // THEN
    expect(sent()).toEqual(['ModifyInstanceAttribute', 'ModifyInstanceAttribute', 'StopInstances', 'CreateTags']);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: 'i-0aaa', DisableApiStop: { Value: false } },
      { InstanceId: 'i-0aaa', DisableApiTermination: { Value: false } },
    ]);
    expect(ec2.commandCalls(StopInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-0aaa'] });
    expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input).toEqual({ Resources: ['i-0aaa'], Tags: EC2_TAGS });
    for (const call of ec2.calls()) expect(await regionOf(call)).toBe(REGION);
  });

  test('never terminates', async () => {
    // WHEN
    await stopInstance(REGION, 'i-0aaa', true, TAGS);

    // THEN
    expect(sent()).not.toContain('TerminateInstances');
  });

  test('a refused stop fails the step, and the instance is not tagged as contained', async () => {
    // GIVEN
    ec2.on(StopInstancesCommand).rejects(DENIED);

    // WHEN / THEN
    await expect(stopInstance(REGION, 'i-0aaa', false, TAGS)).rejects.toBe(DENIED);
    expect(sent()).not.toContain('CreateTags');
  });

  test('protection that cannot be lifted fails the step before any stop is tried', async () => {
    // GIVEN
    ec2.on(ModifyInstanceAttributeCommand).rejects(DENIED);

    // WHEN / THEN
    await expect(stopInstance(REGION, 'i-0aaa', false, TAGS)).rejects.toBe(DENIED);
    expect(sent()).toEqual(['ModifyInstanceAttribute']);
  });

  test('throttling that outlasts the SDK\'s retries fails the step', async () => {
    // GIVEN
    ec2.on(StopInstancesCommand).rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));

    // WHEN / THEN
    await expect(stopInstance(REGION, 'i-0aaa', false, TAGS)).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });

  test('a refused tag ends a done stop with NotTagged, quoting the error', async () => {
    // GIVEN
    ec2.on(CreateTagsCommand).rejects(DENIED);

    // WHEN / THEN
    await expect(stopInstance(REGION, 'i-0aaa', false, TAGS))
      .rejects.toEqual(new NotTagged('UnauthorizedOperation: You are not authorized to perform this operation.'));
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(1);
  });

  describe('with quarantine', () => {
    beforeEach(() => {
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaa', VpcId: 'vpc-0123' }] }] });
      ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
        IamInstanceProfileAssociations: [
          { AssociationId: 'iip-assoc-1', InstanceId: 'i-0aaa', State: 'associated' },
          { AssociationId: 'iip-assoc-0', InstanceId: 'i-0aaa', State: 'disassociated' },
        ],
      });
    });

    test('moves the instance into the VPC\'s existing isolation group and takes its role away before stopping', async () => {
      // GIVEN
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-0isolate', GroupName: 'mining-guard-isolation' }] });

      // WHEN
      await stopInstance(REGION, 'i-0aaa', true, TAGS);

      // THEN
      expect(sent()).toEqual([
        'ModifyInstanceAttribute', 'ModifyInstanceAttribute', 'DescribeInstances', 'DescribeSecurityGroups', 'ModifyInstanceAttribute',
        'DescribeIamInstanceProfileAssociations', 'DisassociateIamInstanceProfile', 'StopInstances', 'CreateTags',
      ]);
      expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-0aaa'] });
      expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input).toEqual({
        Filters: [{ Name: 'vpc-id', Values: ['vpc-0123'] }, { Name: 'group-name', Values: ['mining-guard-isolation'] }],
      });
      expect(ec2.commandCalls(ModifyInstanceAttributeCommand)[2].args[0].input).toEqual({ InstanceId: 'i-0aaa', Groups: ['sg-0isolate'] });
      expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0].args[0].input).toEqual({
        Filters: [{ Name: 'instance-id', Values: ['i-0aaa'] }],
      });
      expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand).map((c) => c.args[0].input)).toEqual([{ AssociationId: 'iip-assoc-1' }]);
      for (const call of ec2.calls()) expect(await regionOf(call)).toBe(REGION);
    });

    test('creates the isolation group the first time, tagged, and takes away its default outbound rule', async () => {
      // GIVEN
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0new' });

      // WHEN
      await stopInstance(REGION, 'i-0aaa', true, TAGS);

      // THEN
      expect(ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input).toEqual({
        GroupName: 'mining-guard-isolation',
        Description: 'MiningGuard quarantine: no inbound, no outbound',
        VpcId: 'vpc-0123',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: EC2_TAGS }],
      });
      expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0].args[0].input).toEqual({
        GroupId: 'sg-0new', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
      expect(ec2.commandCalls(ModifyInstanceAttributeCommand)[2].args[0].input).toEqual({ InstanceId: 'i-0aaa', Groups: ['sg-0new'] });
      expect(sent().indexOf('RevokeSecurityGroupEgress')).toBeLessThan(sent().lastIndexOf('ModifyInstanceAttribute'));
    });

    test('an instance outside a VPC keeps its groups, and still loses its role and is stopped', async () => {
      // GIVEN
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaa' }] }] });

      // WHEN
      await stopInstance(REGION, 'i-0aaa', true, TAGS);

      // THEN
      expect(sent()).not.toContain('DescribeSecurityGroups');
      expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).toHaveLength(2);
      expect(sent()).toContain('DisassociateIamInstanceProfile');
      expect(sent()).toContain('StopInstances');
    });

    test('a quarantine that cannot be applied fails the step before the stop', async () => {
      // GIVEN
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      ec2.on(CreateSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'Not authorized to perform: ec2:CreateSecurityGroup', 403));

      // WHEN / THEN
      await expect(stopInstance(REGION, 'i-0aaa', true, TAGS)).rejects.toThrow('ec2:CreateSecurityGroup');
      expect(sent()).not.toContain('StopInstances');
    });
  });
});

describe('cancelSpotFleetRequest', () => {
  test('cancels without terminating the fleet\'s instances, then tags the request', async () => {
    // WHEN
    await cancelSpotFleetRequest(REGION, 'sfr-0a1b2c3d', TAGS);

    // THEN
    expect(sent()).toEqual(['CancelSpotFleetRequests', 'CreateTags']);
    const [cancel] = ec2.commandCalls(CancelSpotFleetRequestsCommand);
    expect(cancel.args[0].input).toEqual({ SpotFleetRequestIds: ['sfr-0a1b2c3d'], TerminateInstances: false });
    expect(await regionOf(cancel)).toBe(REGION);
    expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input).toEqual({ Resources: ['sfr-0a1b2c3d'], Tags: EC2_TAGS });
  });

  test('a refused cancel fails the step; a refused tag after it ends with NotTagged', async () => {
    // GIVEN
    ec2.on(CancelSpotFleetRequestsCommand).rejectsOnce(DENIED);
    ec2.on(CreateTagsCommand).rejects(DENIED);

    // WHEN / THEN
    await expect(cancelSpotFleetRequest(REGION, 'sfr-0a1b2c3d', TAGS)).rejects.toBe(DENIED);
    await expect(cancelSpotFleetRequest(REGION, 'sfr-0a1b2c3d', TAGS)).rejects.toBeInstanceOf(NotTagged);
  });
});

describe('cancelSpotInstanceRequest', () => {
  test('cancels the request, then tags it', async () => {
    // WHEN
    await cancelSpotInstanceRequest(REGION, 'sir-0a1b2c3d', TAGS);

    // THEN
    expect(sent()).toEqual(['CancelSpotInstanceRequests', 'CreateTags']);
    const [cancel] = ec2.commandCalls(CancelSpotInstanceRequestsCommand);
    expect(cancel.args[0].input).toEqual({ SpotInstanceRequestIds: ['sir-0a1b2c3d'] });
    expect(await regionOf(cancel)).toBe(REGION);
    expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input).toEqual({ Resources: ['sir-0a1b2c3d'], Tags: EC2_TAGS });
  });

  test('a request EC2 no longer knows fails the step with EC2\'s error, for the caller to judge', async () => {
    // GIVEN
    const gone = awsError('InvalidSpotInstanceRequestID.NotFound', 'The spot instance request ID \'sir-0a1b2c3d\' does not exist');
    ec2.on(CancelSpotInstanceRequestsCommand).rejects(gone);

    // WHEN / THEN
    await expect(cancelSpotInstanceRequest(REGION, 'sir-0a1b2c3d', TAGS)).rejects.toBe(gone);
    expect(sent()).not.toContain('CreateTags');
  });
});

describe('deleteFleetKeepInstances', () => {
  test('tags the fleet first, since a deleted fleet cannot be tagged, then deletes it without terminating its instances', async () => {
    // WHEN
    await deleteFleetKeepInstances(REGION, 'fleet-0a1b2c3d', TAGS);

    // THEN
    expect(sent()).toEqual(['CreateTags', 'DeleteFleets']);
    expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input).toEqual({ Resources: ['fleet-0a1b2c3d'], Tags: EC2_TAGS });
    const [remove] = ec2.commandCalls(DeleteFleetsCommand);
    expect(remove.args[0].input).toEqual({ FleetIds: ['fleet-0a1b2c3d'], TerminateInstances: false });
    expect(await regionOf(remove)).toBe(REGION);
  });

  test('a refused tag does not keep the fleet from being deleted, and the step then ends with NotTagged', async () => {
    // GIVEN
    ec2.on(CreateTagsCommand).rejects(DENIED);

    // WHEN / THEN
    await expect(deleteFleetKeepInstances(REGION, 'fleet-0a1b2c3d', TAGS)).rejects.toBeInstanceOf(NotTagged);
    expect(ec2.commandCalls(DeleteFleetsCommand)).toHaveLength(1);
  });

  test('a refused delete fails the step with the delete\'s error, not the tag\'s', async () => {
    // GIVEN
    ec2.on(CreateTagsCommand).rejects(DENIED);
    ec2.on(DeleteFleetsCommand).rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));

    // WHEN / THEN
    await expect(deleteFleetKeepInstances(REGION, 'fleet-0a1b2c3d', TAGS)).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});

describe('clients', () => {
  test('each region gets its own EC2 client, kept for later steps there, with the SDK\'s adaptive retry', async () => {
    // WHEN
    await cancelSpotInstanceRequest('eu-west-1', 'sir-1', TAGS);
    await cancelSpotInstanceRequest('ap-south-1', 'sir-2', TAGS);
    await cancelSpotInstanceRequest('eu-west-1', 'sir-3', TAGS);

    // THEN
    const [ireland, mumbai, irelandAgain] = ec2.commandCalls(CancelSpotInstanceRequestsCommand);
    expect([await regionOf(ireland), await regionOf(mumbai), await regionOf(irelandAgain)]).toEqual(['eu-west-1', 'ap-south-1', 'eu-west-1']);
    expect(irelandAgain.thisValue).toBe(ireland.thisValue);
    expect(mumbai.thisValue).not.toBe(ireland.thisValue);
    expect((ireland.thisValue as EC2Client).config.retryMode).toBe('adaptive');
  });
});
