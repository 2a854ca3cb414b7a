import { gzipSync } from 'zlib';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand, DescribeInstancesCommand, DescribeSpotFleetRequestsCommand, EC2Client, ModifyInstanceAttributeCommand,
  RequestSpotFleetCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../fixtures/documented-cloudtrail';
import { atTime } from '../../harness/fake-clock';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { launchHandlerWith } from '../../harness/launch-handler';
import { createAlertTopic, createIdempotencyTable, motoClientConfig, receiveAll, TopicInbox, uniqueName } from '../../harness/moto';


/** A CloudWatch Logs subscription delivery of the records, gzipped and base64-encoded as Lambda receives it. */
function logsDelivery(records: object[]): object {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: 'trail',
    logStream: '123456789012_CloudTrail_us-east-1',
    subscriptionFilters: ['EveryRegion'],
    logEvents: records.map((r, i) => ({ id: String(i), timestamp: Date.now(), message: JSON.stringify(r) })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

const ec2 = () => new EC2Client(motoClientConfig());

/** Each test acts as a principal of its own, so that alert storm control does not fold one test's alerts into another's. */
function asNewPrincipal(): { region: string; principalArn: string } {
  return { region: 'us-east-1', principalArn: `arn:aws:iam::123456789012:user/${uniqueName('attacker')}` };
}
let REGION = asNewPrincipal();
beforeEach(() => {
  REGION = asNewPrincipal();
});

let inbox: TopicInbox;

beforeAll(async () => {
  const { topicArn, inbox: subscribed } = await createAlertTopic();
  inbox = subscribed;
  const table = await createIdempotencyTable();
  emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: topicArn, IDEMPOTENCY_TABLE: table });
});

async function launchProtected(count: number): Promise<string[]> {
  const out = await ec2().send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 'p3.2xlarge', MinCount: count, MaxCount: count }));
  const ids = out.Instances!.map((i) => i.InstanceId!);
  for (const id of ids) {
    // What the attacker does to every instance, so that defenders cannot stop or terminate it.
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }));
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: true } }));
  }
  return ids;
}

async function instanceStates(ids: string[]): Promise<Array<[string | undefined, Record<string, string>]>> {
  const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return out.Reservations!.flatMap((r) => r.Instances!)
    .map((i) => [i.State?.Name, Object.fromEntries((i.Tags ?? []).map((t) => [t.Key!, t.Value!]))]);
}

describe('the launch evaluator, against the emulated account', () => {
  test('notify-only by default: alerts, and leaves the instances running', async () => {
    const ids = await launchProtected(2);
    const handler = await launchHandlerWith({});
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 2, ids, REGION)));
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toBe(`[MiningGuard][HIGH] 2 x p3.2xlarge launched in us-east-1 by ${REGION.principalArn.split(':').pop()} (~$6.12/h)`);
    expect(alert.Message).toContain('Notified this channel. No containment is configured for this detection.');
    expect((await instanceStates(ids)).map(([state]) => state)).toEqual(['running', 'running']);
  });

  test('STOP turns off the attacker\'s stop and termination protection, stops and tags every instance', async () => {
    const ids = await launchProtected(3);
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });
    const record = runInstances('p3.2xlarge', 3, ids, { ...REGION, eventId: uniqueName('event') });
    await handler(eventBridgeEvent(record));
    // The alert before containment, then its outcome.
    const [, alert] = await receiveAll(inbox.queueUrl, { expected: 2 });
    for (const [state, tags] of await instanceStates(ids)) {
      expect(state).toBe('stopped');
      expect(tags).toMatchObject({ 'mining-guard:detection': 'ec2-instance-launch', 'mining-guard:event-id': record.eventID });
    }
    expect(alert.Message).toContain(`Done: stop 3 instances: ${ids.join(', ')} (turning off stop/termination protection first).`);
  });

  test('the same event twice, and through both paths, acts and alerts once', async () => {
    const ids = await launchProtected(1);
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });
    const record = runInstances('p3.2xlarge', 1, ids, { ...REGION, eventId: uniqueName('event') });
    const first = await handler(eventBridgeEvent(record));
    const again = await handler(eventBridgeEvent(record));
    const otherPath = await handler(logsDelivery([record]));
    expect([first, again, otherPath].map((o) => o.outcomes.map((x) => x.result))).toEqual([['alerted'], ['duplicate'], ['duplicate']]);
    // The alert before containment and its outcome, once.
    expect(await receiveAll(inbox.queueUrl, { expected: 2 })).toHaveLength(2);
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toHaveLength(0);
  });

  test('STOP suspends an Auto Scaling group\'s launches and terminations and keeps its capacity', async () => {
    const name = uniqueName('asg');
    const template = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: uniqueName('lt'), LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 'g4dn.12xlarge' } }));
    const autoscaling = new AutoScalingClient(motoClientConfig());
    await autoscaling.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 2,
      MaxSize: 999,
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId },
      AvailabilityZones: ['us-east-1a'],
    }));
    const handler = await launchHandlerWith({ responses: { 'autoscaling-capacity-change': 'STOP' } });
    await handler(eventBridgeEvent(cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: name, minSize: 2, maxSize: 999 }, null, REGION)));
    await receiveAll(inbox.queueUrl, { expected: 2 });
    const { AutoScalingGroups: [group] = [] } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    expect(group).toMatchObject({ MinSize: 2, DesiredCapacity: 2 });
    expect(group.SuspendedProcesses?.map((p) => p.ProcessName)).toEqual(expect.arrayContaining(['Launch', 'Terminate']));
    expect(group.Tags?.map((t) => t.Key)).toContain('mining-guard:detection');
  });

  test('STOP cancels a Spot fleet request without terminating its instances', async () => {
    const { SpotFleetRequestId: id } = await ec2().send(new RequestSpotFleetCommand({
      SpotFleetRequestConfig: {
        TargetCapacity: 2,
        IamFleetRole: 'arn:aws:iam::123456789012:role/fleet',
        AllocationStrategy: 'lowestPrice',
        SpotPrice: '5.0',
        LaunchSpecifications: [{ ImageId: 'ami-12c6146b', InstanceType: 'g5.12xlarge' }],
      },
    }));
    const handler = await launchHandlerWith({ responses: { 'ec2-fleet-request': 'STOP' } });
    await handler(eventBridgeEvent(cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', { spotFleetRequestConfig: { targetCapacity: 2, launchSpecifications: { item: [{ instanceType: 'g5.12xlarge' }] } } }, { spotFleetRequestId: id }, REGION)));
    const [, alert] = await receiveAll(inbox.queueUrl, { expected: 2 });
    const { SpotFleetRequestConfigs: [config] = [] } = await ec2().send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!] }));
    expect(config.SpotFleetRequestState).toMatch(/^cancelled/);
    expect(alert.Message).toContain(`Done: cancel Spot fleet request ${id} without terminating its instances, then stop them`);
  });

  test('STOP sets an ECS service to zero tasks', async () => {
    const ecs = new ECSClient(motoClientConfig());
    const cluster = uniqueName('cluster');
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'miner', cpu: '16384', memory: '32768', containerDefinitions: [{ name: 'x', image: 'alpine' }] }));
    const { service } = await ecs.send(new CreateServiceCommand({ cluster, serviceName: 'miners', taskDefinition: 'miner', desiredCount: 40 }));
    const handler = await launchHandlerWith({ responses: { 'ecs-task-launch': 'STOP' } });
    await handler(eventBridgeEvent(cloudTrailRecord('ecs.amazonaws.com', 'CreateService', { serviceName: 'miners', cluster, desiredCount: 40 }, { service: { serviceArn: service!.serviceArn, clusterArn: service!.clusterArn } }, REGION)));
    await receiveAll(inbox.queueUrl, { expected: 2 });
    const { services: [after] = [] } = await ecs.send(new DescribeServicesCommand({ cluster, services: ['miners'] }));
    expect(after.desiredCount).toBe(0);
  });

  test('an instance EC2 does not know is reported as not found, not as done', async () => {
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0000000000000dead'], REGION)));
    const [, alert] = await receiveAll(inbox.queueUrl, { expected: 2 });
    expect(alert.Message).toMatch(/Not found: stop instance i-0000000000000dead .*EC2 does not know it in us-east-1/);
  });

  test('dry run says what it would do and changes nothing', async () => {
    const ids = await launchProtected(1);
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' }, dryRun: true });
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ids, REGION)));
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Message).toContain(`Dry run, not done: stop instance ${ids[0]}`);
    expect((await instanceStates(ids))[0][0]).toBe('running');
  });

  test('a refused launch that names only a launch template is judged by the type EC2 says the template sets', async () => {
    const template = await ec2().send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: uniqueName('lt'), LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 'p3.8xlarge' },
    }));
    const handler = await launchHandlerWith({});
    await handler(eventBridgeEvent(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
      instancesSet: { items: [{ minCount: 1, maxCount: 4 }] },
      launchTemplate: { launchTemplateId: template.LaunchTemplate!.LaunchTemplateId, version: '1' },
    }, null, { ...REGION, errorCode: 'Client.VcpuLimitExceeded' })));
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toContain('4 x p3.8xlarge attempted in us-east-1');
    expect(alert.Message).toContain('128 vCPUs, 16 GPUs, ~$49/h on demand');
  });

  test('a resize of an existing Auto Scaling group is judged by the type the group\'s launch template sets', async () => {
    const name = uniqueName('asg');
    const template = await ec2().send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: uniqueName('lt'), LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 'g4dn.12xlarge' },
    }));
    await new AutoScalingClient(motoClientConfig()).send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: 100,
      DesiredCapacity: 0,
      LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId },
      AvailabilityZones: ['us-east-1a'],
    }));
    const handler = await launchHandlerWith({});
    await handler(eventBridgeEvent(cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: name, desiredCapacity: 25 }, null, REGION)));
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toContain('25 x g4dn.12xlarge');
    expect(alert.Message).toContain('1200 vCPUs, 100 GPUs');
  });

  test('StartInstances is judged by the types of the stopped instances it starts', async () => {
    const out = await ec2().send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 'p3.16xlarge', MinCount: 2, MaxCount: 2 }));
    const ids = out.Instances!.map((i) => i.InstanceId!);
    const handler = await launchHandlerWith({});
    await handler(eventBridgeEvent(cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', {
      instancesSet: { items: [...ids, 'i-0000000000000dead'].map((instanceId) => ({ instanceId })) },
    }, null, REGION)));
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toContain('2 x p3.16xlarge launched in us-east-1');
    expect(alert.Message).toContain('Not counted, unknown: instance type of i-0000000000000dead: EC2 does not know this instance.');
  });

  test('120 detections by one principal within two minutes: at most 3 alerts that account for all, and every event contained', async () => {
    // GIVEN 100 instances the attacker protected, and 120 launch events naming them, spread over two minutes
    // (bursts of 1,000 are folded in launch-evaluator-storm.test.ts, with the containment actor mocked)
    const ids = await launchProtected(100);
    const principal = asNewPrincipal();
    const start = Date.parse('2026-11-21T04:00:00Z');
    const events = Array.from({ length: 120 }, (_, i) => {
      const record = runInstances('p3.2xlarge', 1, [ids[i % ids.length]], { ...principal, eventId: uniqueName(`burst-${i}`) });
      return eventBridgeEvent({ ...record, eventTime: new Date(start + i * 1000).toISOString() });
    });
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' } });

    // WHEN they arrive, one after the other (the emulator's DynamoDB does not make concurrent ADDs atomic, as
    // DynamoDB does), each when it was made: windows are timed by arrival, and the emulator is slower than AWS.
    // Only the clock is faked; timers, and so the SDK's retries, run as they do.
    const results: string[] = [];
    await atTime(start, async () => {
      for (const [i, e] of events.entries()) {
        jest.setSystemTime(start + i * 1000);
        results.push(...(await handler(e)).outcomes.map((o) => o.result));
      }
    });
    // The scheduled flush runs after the window closed.
    const flush = await handler({ 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'account': '123456789012', 'time': new Date(start + 8 * 60_000).toISOString(), 'detail': {} });

    // THEN
    expect(results.filter((r) => r === 'alerted')).toHaveLength(1);
    expect(results.filter((r) => r === 'folded')).toHaveLength(119);
    expect(flush.outcomes).toEqual([{ result: 'flushed' }]);
    // The first alert, before containment; its outcome; the summary of the 119 others.
    const alerts = await receiveAll(inbox.queueUrl, { expected: 3 });
    expect(alerts.length).toBeLessThanOrEqual(3);
    const summary = alerts.find((a) => a.MessageAttributes?.detection.Value === 'launch-burst')!;
    expect(summary.Subject).toMatch(/^\[MiningGuard\]\[HIGH\] 119 more launch detections by user\/attacker-\w+ in 1 region within 5 min$/);
    expect(summary.Message).toContain('... and 70 more, in CloudTrail.');
    for (const [state, tags] of await instanceStates(ids)) {
      expect(state).toBe('stopped');
      expect(tags['mining-guard:detection']).toBe('ec2-instance-launch');
    }
  }, 300_000);
});
