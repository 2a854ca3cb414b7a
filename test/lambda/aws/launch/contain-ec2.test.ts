import {
  CancelSpotFleetRequestsCommand, CancelSpotInstanceRequestsCommand, DeleteFleetsCommand, DescribeFleetInstancesCommand, DescribeFleetsCommand,
  DescribeSpotFleetInstancesCommand, DescribeSpotInstanceRequestsCommand, EC2Client, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { cancelSpotFleetRequest, cancelSpotInstanceRequests, stopFleet } from '../../../../lambda/aws/launch/contain-ec2';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError } from '../../../harness/mocked-aws';
import { StubbedEc2 } from '../../../harness/stubbed-ec2';

const ec2 = mockClient(EC2Client);
const REGION = 'eu-west-1';
const TAGS = { 'mining-guard:detection': 'ec2-fleet-request' };
const NOW = { retryDelayMs: 0 };
let account: StubbedEc2;

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  account = new StubbedEc2(ec2);
});

const stopped = (ids: string[]) => ids.map((id) => account.instances.get(id)?.state);

describe('cancelSpotFleetRequest', () => {
  test('cancels without terminating, then stops every instance the fleet launched, before and after the cancel', async () => {
    // GIVEN
    const [early, late] = account.launch(2);
    ec2.on(DescribeSpotFleetInstancesCommand).resolvesOnce({ ActiveInstances: [{ InstanceId: early }], NextToken: 'n' })
      .resolvesOnce({ ActiveInstances: [] }).resolves({ ActiveInstances: [{ InstanceId: early }, { InstanceId: late }] });
    ec2.on(CancelSpotFleetRequestsCommand).resolves({ SuccessfulFleetRequests: [{ SpotFleetRequestId: 'sfr-1', CurrentSpotFleetRequestState: 'cancelled_running' }] });

    // WHEN
    const report = await cancelSpotFleetRequest(REGION, 'sfr-1', TAGS, NOW);

    // THEN
    expect(ec2.commandCalls(CancelSpotFleetRequestsCommand)[0].args[0].input).toEqual({ SpotFleetRequestIds: ['sfr-1'], TerminateInstances: false });
    expect(report).toEqual({ count: 2, failed: [], gone: [], unknown: [], notes: [], retryStep: false });
    expect(stopped([early, late])).toEqual(['stopped', 'stopped']);
  });

  test('a cancellation EC2 refuses in its answer is a failure of the step, and its instances are stopped all the same', async () => {
    // GIVEN
    const [id] = account.launch(1);
    ec2.on(DescribeSpotFleetInstancesCommand).resolves({ ActiveInstances: [{ InstanceId: id }] });
    ec2.on(CancelSpotFleetRequestsCommand).resolves({
      UnsuccessfulFleetRequests: [{ SpotFleetRequestId: 'sfr-1', Error: { Code: 'unexpectedError', Message: 'Something went wrong' } }],
    });

    // WHEN
    const report = await cancelSpotFleetRequest(REGION, 'sfr-1', TAGS, NOW);

    // THEN
    expect(report).toMatchObject({ failed: [{ id: 'sfr-1', reason: 'not cancelled: unexpectedError: Something went wrong' }], retryStep: true });
    expect(stopped([id])).toEqual(['stopped']);
  });

  test('a request EC2 does not know is unknown, not done', async () => {
    // GIVEN
    ec2.on(DescribeSpotFleetInstancesCommand).rejects(awsError('InvalidSpotFleetRequestId.NotFound', 'does not exist'));
    ec2.on(CancelSpotFleetRequestsCommand).resolves({ UnsuccessfulFleetRequests: [{ SpotFleetRequestId: 'sfr-1', Error: { Code: 'fleetRequestIdDoesNotExist', Message: 'x' } }] });

    // THEN
    expect(await cancelSpotFleetRequest(REGION, 'sfr-1', TAGS, NOW)).toEqual({
      count: 1, failed: [], gone: [], unknown: [{ id: 'sfr-1', reason: 'EC2 does not know this Spot fleet request in eu-west-1' }], notes: [],
    });
  });

  test('an answer that names neither success nor failure is a failure', async () => {
    // GIVEN
    ec2.on(DescribeSpotFleetInstancesCommand).resolves({ ActiveInstances: [] });
    ec2.on(CancelSpotFleetRequestsCommand).resolves({});

    // THEN
    expect((await cancelSpotFleetRequest(REGION, 'sfr-1', TAGS, NOW)).failed).toEqual([{ id: 'sfr-1', reason: 'not cancelled: missing from EC2\'s answer' }]);
  });
});

describe('cancelSpotInstanceRequests', () => {
  test('cancels the requests EC2 knows, reports the others, reads every state, and stops the instances they launched', async () => {
    // GIVEN
    const [a, b] = account.launch(2);
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves({
      SpotInstanceRequests: [
        { SpotInstanceRequestId: 'sir-1', InstanceId: a }, { SpotInstanceRequestId: 'sir-2', InstanceId: b }, { SpotInstanceRequestId: 'sir-3' },
      ],
    });
    ec2.on(CancelSpotInstanceRequestsCommand).resolves({
      CancelledSpotInstanceRequests: [
        { SpotInstanceRequestId: 'sir-1', State: 'cancelled' }, { SpotInstanceRequestId: 'sir-2', State: 'closed' }, { SpotInstanceRequestId: 'sir-3', State: 'active' },
      ],
    });

    // WHEN
    const report = await cancelSpotInstanceRequests(REGION, ['sir-1', 'sir-2', 'sir-3', 'sir-gone'], TAGS, NOW);

    // THEN
    expect(ec2.commandCalls(CancelSpotInstanceRequestsCommand)[0].args[0].input).toEqual({ SpotInstanceRequestIds: ['sir-1', 'sir-2', 'sir-3'] });
    expect(report).toMatchObject({
      count: 6,
      failed: [{ id: 'sir-3', reason: 'not cancelled: EC2 says it is active' }],
      unknown: [{ id: 'sir-gone', reason: 'EC2 does not know this Spot request in eu-west-1' }],
    });
    expect(stopped([a, b])).toEqual(['stopped', 'stopped']);
  });
});

describe('stopFleet', () => {
  test('an instant fleet is never deleted: its instances are stopped directly', async () => {
    // GIVEN
    const ids = account.launch(3);
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'instant', FleetState: 'active', Instances: [{ InstanceIds: ids }] }] });

    // WHEN
    const report = await stopFleet(REGION, 'fleet-1', TAGS, NOW);

    // THEN
    expect(ec2.commandCalls(DeleteFleetsCommand)).toHaveLength(0);
    expect(report).toMatchObject({ count: 3, failed: [] });
    expect(stopped(ids)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  test('a maintain fleet is deleted without terminating, then its instances are stopped', async () => {
    // GIVEN
    const ids = account.launch(2);
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'maintain', FleetState: 'active' }] });
    ec2.on(DescribeFleetInstancesCommand).resolves({ ActiveInstances: ids.map((InstanceId) => ({ InstanceId })) });
    ec2.on(DeleteFleetsCommand).resolves({ SuccessfulFleetDeletions: [{ FleetId: 'fleet-1', CurrentFleetState: 'deleted_running' }] });

    // WHEN
    const report = await stopFleet(REGION, 'fleet-1', TAGS, NOW);

    // THEN
    expect(ec2.commandCalls(DeleteFleetsCommand)[0].args[0].input).toEqual({ FleetIds: ['fleet-1'], TerminateInstances: false });
    expect(report).toMatchObject({ count: 2, failed: [] });
    expect(stopped(ids)).toEqual(['stopped', 'stopped']);
  });

  test('a deletion EC2 refuses in its answer is reported, never "done"', async () => {
    // GIVEN
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'request', FleetState: 'active' }] });
    ec2.on(DescribeFleetInstancesCommand).resolves({ ActiveInstances: [] });
    ec2.on(DeleteFleetsCommand).resolves({ UnsuccessfulFleetDeletions: [{ FleetId: 'fleet-1', Error: { Code: 'unexpectedError', Message: 'nope' } }] });

    // THEN
    expect(await stopFleet(REGION, 'fleet-1', TAGS, NOW)).toMatchObject({ failed: [{ id: 'fleet-1', reason: 'not deleted: unexpectedError: nope' }], retryStep: true });
  });

  test('an already deleted fleet is not deleted again, and what still runs is stopped', async () => {
    // GIVEN
    const [id] = account.launch(1);
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'maintain', FleetState: 'deleted_running' }] });
    ec2.on(DescribeFleetInstancesCommand).resolves({ ActiveInstances: [{ InstanceId: id }] });

    // WHEN
    await stopFleet(REGION, 'fleet-1', TAGS, NOW);

    // THEN
    expect(ec2.commandCalls(DeleteFleetsCommand)).toHaveLength(0);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(1);
  });

  test('a fleet EC2 does not know is unknown', async () => {
    // GIVEN
    ec2.on(DescribeFleetsCommand).rejects(awsError('InvalidFleetId.NotFound', 'The fleet ID \'fleet-1\' does not exist'));

    // THEN
    expect((await stopFleet(REGION, 'fleet-1', TAGS, NOW)).unknown).toEqual([{ id: 'fleet-1', reason: 'EC2 does not know this fleet in eu-west-1' }]);
  });

  test('its instances that cannot be listed make a failure of the step', async () => {
    // GIVEN
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'maintain', FleetState: 'active' }] });
    ec2.on(DescribeFleetInstancesCommand).rejects(awsError('UnauthorizedOperation', 'denied', 403));
    ec2.on(DeleteFleetsCommand).resolves({ SuccessfulFleetDeletions: [{ FleetId: 'fleet-1' }] });

    // THEN
    expect((await stopFleet(REGION, 'fleet-1', TAGS, NOW)).failed).toEqual([{ id: 'fleet-1', reason: 'its instances not found: UnauthorizedOperation: denied' }]);
  });
});
