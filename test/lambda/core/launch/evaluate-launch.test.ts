import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { onlyUndoes } from '../../../../lambda/core/launch/evaluate-launch';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { launchAlert } from '../../../../lambda/core/launch/launch-alert';
import { findDetection, resolveLaunchSettings } from '../../../../lib/catalog';
import { FAMILY_CASES, PRINCIPAL_CASES, userIdentityOf } from '../../../fixtures/compute-policy-cases';
import { cloudTrailRecord, createTrainingJob, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { GUARD_ROLE_ARN, guardContainmentCalls, roleSessionRecord } from '../../../fixtures/guard-calls';
import { readJsonLines } from '../../../fixtures/real-events';

const NOW = new Date('2026-11-20T03:12:10Z');

function judged(value: unknown, policy = resolveLaunchSettings({})): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, policy, bundledSpec, NOW);
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

describe('every launch detection, on records in the documented shape', () => {
  test.each([
    ['ec2-instance-launch', runInstances('p4d.24xlarge', 40, ['i-0aaa'])],
    ['ec2-instance-launch', cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', { instancesSet: { items: Array.from({ length: 12 }, (_, i) => ({ instanceId: `i-0${i}` })) } })],
    ['ec2-fleet-request', cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', { spotFleetRequestConfig: { targetCapacity: 50, launchSpecifications: { item: [{ instanceType: 'g5.12xlarge' }] } } }, { spotFleetRequestId: 'sfr-123' })],
    ['ec2-fleet-request', cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotInstances', { instanceCount: 20, launchSpecification: { instanceType: 'c5.24xlarge' } })],
    ['ec2-fleet-request', cloudTrailRecord('ec2.amazonaws.com', 'CreateFleet', { CreateFleetRequest: { TargetCapacitySpecification: { TotalTargetCapacity: 30 }, LaunchTemplateConfigs: { item: { Overrides: { item: [{ InstanceType: 'p3.16xlarge' }] } } } } })],
    ['ec2-launch-template-change', cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate', { CreateLaunchTemplateRequest: { LaunchTemplateName: 'x', LaunchTemplateData: { InstanceType: 'p5.48xlarge' } } })],
    ['ec2-launch-template-change', cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplateVersion', { CreateLaunchTemplateVersionRequest: { LaunchTemplateData: { InstanceType: 'g6.48xlarge' } } })],
    ['ec2-instance-protection', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiTermination: { value: true } })],
    ['ec2-instance-protection', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiStop: { value: true } })],
    ['autoscaling-capacity-change', cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'asg-1', minSize: 20, maxSize: 999, mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'g4dn.12xlarge' }] } } })],
    ['autoscaling-capacity-change', cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', { autoScalingGroupName: 'asg-1', maxSize: 500 })],
    ['autoscaling-capacity-change', cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'asg-1', desiredCapacity: 100 })],
    ['ecs-task-launch', cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'miner', cpu: '16384', memory: '32768', requiresCompatibilities: ['FARGATE'] })],
    ['ecs-task-launch', cloudTrailRecord('ecs.amazonaws.com', 'CreateService', { serviceName: 's', cluster: 'c1', desiredCount: 40, launchType: 'FARGATE' })],
    ['ecs-task-launch', cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 's', cluster: 'c1', desiredCount: 40 })],
    ['ecs-task-launch', cloudTrailRecord('ecs.amazonaws.com', 'RunTask', { taskDefinition: 'miner:1', count: 20, launchType: 'FARGATE' })],
    ['batch-compute-environment-change', cloudTrailRecord('batch.amazonaws.com', 'CreateComputeEnvironment', { computeEnvironmentName: 'ce', computeResources: { maxvCpus: 2000, instanceTypes: ['p3'] } })],
    ['batch-compute-environment-change', cloudTrailRecord('batch.amazonaws.com', 'UpdateComputeEnvironment', { computeEnvironment: 'ce', computeResources: { maxvCpus: 4096 } })],
    ['sagemaker-compute-launch', cloudTrailRecord('sagemaker.amazonaws.com', 'CreateNotebookInstance', { notebookInstanceName: 'nb', instanceType: 'ml.p3.16xlarge' })],
    ['sagemaker-compute-launch', cloudTrailRecord('sagemaker.amazonaws.com', 'CreateTrainingJob', { trainingJobName: 'tj', resourceConfig: { instanceType: 'ml.g5.48xlarge', instanceCount: 4 } })],
    ['sagemaker-compute-launch', cloudTrailRecord('sagemaker.amazonaws.com', 'CreateProcessingJob', { processingJobName: 'pj', processingResources: { clusterConfig: { instanceType: 'ml.p4d.24xlarge', instanceCount: 2 } } })],
    ['sagemaker-compute-launch', cloudTrailRecord('sagemaker.amazonaws.com', 'CreateEndpointConfig', { endpointConfigName: 'ec', productionVariants: [{ instanceType: 'ml.g5.2xlarge', initialInstanceCount: 20 }] })],
    ['service-quota-increase', cloudTrailRecord('servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', { serviceCode: 'ec2', quotaCode: 'L-417A185B', desiredValue: 1024 })],
  ])('%s flags %#', (detectionId, record) => {
    const j = judged(eventBridgeEvent(record));
    expect(j.verdict.detection.id).toBe(detectionId);
    expect(j.verdict.flagged).toBe(true);
    expect(j.verdict.reasons.length).toBeGreaterThan(0);
    const message = toAlertMessage(launchAlert(j.record, j.request, j.verdict, []));
    expect(message.subject.length).toBeLessThan(100);
    expect(message.subject).toMatch(/in sa-east-1 by user\/ci-bot/);
  });

  test.each([
    ['a small launch', runInstances('t3.micro', 1, ['i-0bbb'])],
    ['protection turned off', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiTermination: { value: false } })],
    ['a small Auto Scaling group', cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'web', minSize: 2, maxSize: 6, launchTemplate: { launchTemplateName: 'web' } })],
    ['a 1-vCPU task definition', cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'web', cpu: '1024' })],
    ['a cluster', cloudTrailRecord('ecs.amazonaws.com', 'CreateCluster', { clusterName: 'c1' })],
    ['a CPU notebook', cloudTrailRecord('sagemaker.amazonaws.com', 'CreateNotebookInstance', { notebookInstanceName: 'nb', instanceType: 'ml.t3.medium' })],
    ['a quota request for a non-compute service', cloudTrailRecord('servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', { serviceCode: 's3', quotaCode: 'L-1', desiredValue: 200 })],
  ])('does not flag %s', (_name, record) => {
    expect(judged(record).verdict.flagged).toBe(false);
  });
});

describe('the judgement', () => {
  test('40 x p4d.24xlarge reads like the alert a person needs', () => {
    const j = judged(runInstances('p4d.24xlarge', 40, Array.from({ length: 40 }, (_, i) => `i-0${i}`)));
    expect(j.verdict).toMatchObject({ vcpus: 3840, gpus: 320, units: 40, estimated: false, severity: 'CRITICAL', failed: false });
    const subject = toAlertMessage(launchAlert(j.record, j.request, j.verdict, [])).subject;
    expect(subject).toMatch(/^\[MiningGuard\]\[CRITICAL\] 40 x p4d\.24xlarge launched in sa-east-1 by user\/ci-bot \(~\$[\d,]+\/h\)$/);
  });

  test('an unknown type is sized by the size rule and says so', () => {
    const j = judged(runInstances('zz9.24xlarge', 2));
    expect(j.verdict).toMatchObject({ vcpus: 192, estimated: true, usdPerHour: undefined, flagged: true });
    expect(launchAlert(j.record, j.request, j.verdict, []).headline).toContain('(cost unknown)');
  });

  test('an exempt principal is never flagged', () => {
    const j = judged(runInstances('p5.48xlarge', 50, [], { principalArn: 'arn:aws:sts::123456789012:assumed-role/ml-training/pipeline' }), resolveLaunchSettings({ computePolicy: { exemptPrincipals: ['arn:aws:sts::*:assumed-role/ml-training/*'] } }));
    expect(j.verdict.flagged).toBe(false);
    expect(j.verdict.reasons[0]).toBe('arn:aws:sts::123456789012:assumed-role/ml-training/pipeline is exempt by arn:aws:sts::*:assumed-role/ml-training/*');
  });

  test('a launch outside the allowed regions is flagged even when small', () => {
    const j = judged(runInstances('t3.micro', 1, [], { region: 'ap-east-1' }), resolveLaunchSettings({ computePolicy: { allowedRegions: ['eu-west-1'] } }));
    expect(j.verdict.reasons).toEqual(['region ap-east-1 is not an allowed region (eu-west-1)']);
  });

  test('a launch refused for the vCPU limit is flagged whatever it asked for', () => {
    const j = judged(runInstances('t3.micro', 1, [], { errorCode: 'Client.VcpuLimitExceeded' }));
    expect(j.verdict).toMatchObject({ flagged: true, failed: true, severity: 'HIGH', response: 'NOTIFY' });
  });

  test('a dry run of an allowed launch is not a probe worth waking anyone for', () => {
    expect(judged(runInstances('t3.micro', 1, [], { errorCode: 'Client.DryRunOperation' })).verdict.flagged).toBe(false);
  });
});

describe('containment plans', () => {
  const stop = resolveLaunchSettings({ responses: { 'ec2-instance-launch': 'STOP', 'autoscaling-capacity-change': 'STOP', 'ecs-task-launch': 'STOP', 'ec2-fleet-request': 'STOP' } });

  test('are empty unless a response is configured', () => {
    expect(judged(runInstances('p4d.24xlarge', 4, ['i-0aaa'])).plan.actions).toEqual([]);
  });

  test('stop every instance a flagged launch created, tagged with the detection, the time and the event', () => {
    const j = judged(runInstances('p4d.24xlarge', 2, ['i-0aaa', 'i-0bbb'], { eventId: 'e-1' }), stop);
    expect(j.plan).toEqual({
      region: 'sa-east-1',
      actions: [{ kind: 'stop-instances', instanceIds: ['i-0aaa', 'i-0bbb'] }],
      tags: { 'mining-guard:detection': 'ec2-instance-launch', 'mining-guard:contained-at': NOW.toISOString(), 'mining-guard:event-id': 'e-1' },
    });
  });

  test('stop Auto Scaling groups, scale ECS services to zero and cancel Spot fleets, never terminating', () => {
    expect(judged(cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'asg-1', minSize: 20, maxSize: 999 }), stop).plan.actions)
      .toEqual([{ kind: 'stop-autoscaling-group', groupName: 'asg-1' }]);
    expect(judged(cloudTrailRecord('ecs.amazonaws.com', 'CreateService', { serviceName: 's', cluster: 'c1', desiredCount: 40 }), stop).plan.actions)
      .toEqual([{ kind: 'scale-ecs-service-to-zero', service: 's', cluster: 'c1' }]);
    expect(judged(cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', { spotFleetRequestConfig: { targetCapacity: 50, launchSpecifications: { item: [{ instanceType: 'g5.12xlarge' }] } } }, { spotFleetRequestId: 'sfr-1' }), stop).plan.actions)
      .toEqual([{ kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' }]);
  });

  test('act on nothing when the call failed: it started nothing', () => {
    expect(judged(runInstances('p4d.24xlarge', 2, [], { errorCode: 'Client.VcpuLimitExceeded' }), stop).plan.actions).toEqual([]);
  });

  test('quarantine moves instances before stopping them', () => {
    const j = judged(cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiStop: { value: true } }),
      resolveLaunchSettings({ responses: { 'ec2-instance-protection': 'QUARANTINE' } }));
    expect(j.plan.actions).toEqual([{ kind: 'quarantine-instances', instanceIds: ['i-0aaa'] }]);
    expect(findDetection('ec2-instance-protection')?.containmentPermissions?.QUARANTINE).toContain('ec2:DisassociateIamInstanceProfile');
  });
});

describe('the compute policy case table, on the launch evaluator', () => {
  test.each(FAMILY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN one small instance of the type, so only its family can flag it
    const record = c.instanceType.startsWith('ml.') ? createTrainingJob('job', c.instanceType, 1) : runInstances(c.instanceType, 1, ['i-0aaa']);
    // WHEN
    const { verdict } = judged(record, resolveLaunchSettings({ computePolicy: { ...c.policy, maxVcpusPerCall: 1000 } }));
    // THEN
    expect(verdict.reasons.some((r) => r.startsWith(`instance type ${c.instanceType} `))).toBe(!c.allowed);
  });

  test.each(PRINCIPAL_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN a launch far outside the policy, by the case's principal
    const record = { ...runInstances('p5.48xlarge', 50, ['i-0aaa']), userIdentity: userIdentityOf(c) };
    // WHEN
    const { verdict } = judged(record, resolveLaunchSettings({ computePolicy: { exemptPrincipals: c.exemptPrincipals } }));
    // THEN
    expect(verdict.flagged).toBe(!c.exempt);
  });
});

describe('calls that are never grounds for containment', () => {
  /** Containment on for every detection that allows it, and only eu-west-1 allowed: everywhere else is flagged. */
  const CONTAIN_EVERYTHING = resolveLaunchSettings({
    computePolicy: { allowedRegions: ['eu-west-1'] },
    responses: {
      'ec2-instance-launch': 'STOP',
      'ec2-fleet-request': 'STOP',
      'ec2-instance-protection': 'STOP',
      'autoscaling-capacity-change': 'STOP',
      'ecs-task-launch': 'STOP',
      'batch-compute-environment-change': 'STOP',
      'sagemaker-compute-launch': 'STOP',
    },
  });
  const WITH_GUARD_ROLE = { ...CONTAIN_EVERYTHING, guardRoleArns: [GUARD_ROLE_ARN] };

  test.each(guardContainmentCalls({ region: 'ap-south-1' }).map((r) => [`${r.eventName} ${JSON.stringify(r.requestParameters)}`, r] as const))(
    'the guard\'s own %s in a disallowed region flags nothing, from either path', (_name, record) => {
      for (const value of [eventBridgeEvent(record), record]) {
        const j = judgeLaunch(value, WITH_GUARD_ROLE, bundledSpec, NOW);
        if (j.outcome !== 'judged') {
          expect(j.outcome).toBe('not-selected');
          continue;
        }
        expect(j.verdict).toMatchObject({ flagged: false, response: 'NOTIFY', reasons: [`the guard's own call, by its role ${GUARD_ROLE_ARN}`] });
        expect(j.plan.actions).toEqual([]);
      }
    });

  test('a launch by another role, even one whose name starts like the guard\'s, is judged', () => {
    const other = roleSessionRecord('ec2.amazonaws.com', 'RunInstances', { instanceType: 'p4d.24xlarge', instancesSet: { items: [{ maxCount: 1 }] } },
      { instancesSet: { items: [{ instanceId: 'i-0ccc', instanceType: 'p4d.24xlarge' }] } }, { roleArn: `${GUARD_ROLE_ARN}-copy` });
    const j = judged(other, WITH_GUARD_ROLE);
    expect(j.verdict.flagged).toBe(true);
    expect(j.verdict.response).toBe('STOP');
    expect(JSON.stringify(j.plan.actions)).toContain('i-0ccc');
  });

  test.each([
    ['turns termination protection off', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiTermination: { value: false } }),
      'it only turns termination protection off'],
    ['turns stop protection off', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiStop: { value: 'false' } }),
      'it only turns stop protection off'],
    ['scales an Auto Scaling group to zero', cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', { autoScalingGroupName: 'asg-1', minSize: 0, maxSize: 0, desiredCapacity: 0 }),
      'it only sets an Auto Scaling group to zero'],
    ['sets a desired capacity of zero', cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'asg-1', desiredCapacity: 0 }),
      'it only sets an Auto Scaling group to zero'],
    ['sets an ECS service to zero', cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 'miner', cluster: 'c1', desiredCount: 0 }), 'it only sets an ECS service to zero'],
    ['disables a Batch compute environment', cloudTrailRecord('batch.amazonaws.com', 'UpdateComputeEnvironment', { computeEnvironment: 'ce', state: 'DISABLED' }),
      'it only disables a Batch compute environment'],
    ['sets a Batch compute environment to zero vCPUs', cloudTrailRecord('batch.amazonaws.com', 'UpdateComputeEnvironment', { computeEnvironment: 'ce', computeResources: { maxvCpus: 0 } }),
      'it only sets a Batch compute environment to zero'],
  ])('a stranger\'s call that %s is still alerted outside the allowed regions, and contained never', (_name, record, withheld) => {
    const j = judged(record, CONTAIN_EVERYTHING);
    expect(j.verdict).toMatchObject({ flagged: true, response: 'NOTIFY', withheld });
    expect(j.plan.actions).toEqual([]);
  });

  test.each([
    ['turns one protection off and the other on', cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiTermination: { value: true }, disableApiStop: { value: false } })],
    ['lowers the minimum and raises the maximum', cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', { autoScalingGroupName: 'asg-1', minSize: 0, maxSize: 999 })],
    ['disables a compute environment while raising its vCPUs', cloudTrailRecord('batch.amazonaws.com', 'UpdateComputeEnvironment', { computeEnvironment: 'ce', state: 'DISABLED', computeResources: { maxvCpus: 4096 } })],
    ['changes a service without a count', cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 'miner', cluster: 'c1', forceNewDeployment: true })],
  ])('a call that %s is not an undo, and is contained', (_name, record) => {
    const j = judged(record, CONTAIN_EVERYTHING);
    expect(j.verdict.withheld).toBeUndefined();
    expect(j.verdict.response).toBe('STOP');
    expect(j.plan.actions.length).toBeGreaterThan(0);
  });

  test('the real clean-up call that turns termination protection off is never contained', () => {
    // Terraform's tear-down in the Invictus log, us-east-1: outside the allowed regions.
    const record = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl').find((r) => r.eventID === '1bb6c2f9-b96b-485d-92ad-380e4be8b1b1')!;
    expect(onlyUndoes(judged(record, CONTAIN_EVERYTHING).record, judged(record, CONTAIN_EVERYTHING).request)).toBe('it only turns termination protection off');
    expect(judged(record, CONTAIN_EVERYTHING).plan.actions).toEqual([]);
  });
});
