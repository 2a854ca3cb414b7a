import { readRecord } from '../../../../lambda/core/cloudtrail-record';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { launchAlert } from '../../../../lambda/core/launch/launch-alert';
import { describeLaunch } from '../../../../lambda/core/launch/launch-request';
import { namesToLookUp, NamedTypes, OFFLINE_NAMED_TYPES } from '../../../../lambda/core/launch/named-types';
import { launchPolicy } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';

const NOW = new Date('2026-11-20T03:12:10Z');

/** Launches that name only a launch template, in the request shapes CloudTrail records for each API. */
const TEMPLATE_LAUNCHES = {
  'RunInstances refused for the vCPU limit': cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
    instancesSet: { items: [{ minCount: 1, maxCount: 8 }] },
    launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' },
  }, null, { errorCode: 'Client.VcpuLimitExceeded' }),
  'CreateFleet': cloudTrailRecord('ec2.amazonaws.com', 'CreateFleet', {
    CreateFleetRequest: {
      TargetCapacitySpecification: { TotalTargetCapacity: 8, DefaultTargetCapacityType: 'spot' },
      LaunchTemplateConfigs: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Version: '3' }, tag: 1 },
      Type: 'instant',
    },
  }, { CreateFleetResponse: { fleetId: 'fleet-0123' } }),
  'RequestSpotFleet': cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', {
    spotFleetRequestConfig: {
      targetCapacity: 8,
      launchTemplateConfigs: { item: [{ launchTemplateSpecification: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' } }] },
    },
  }, { spotFleetRequestId: 'sfr-0123' }),
  'CreateAutoScalingGroup': cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'workers', minSize: 8, maxSize: 8, launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' },
  }),
  'CreateAutoScalingGroup with a mixed instances policy': cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'workers',
    minSize: 0,
    maxSize: 8,
    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' } } },
  }),
};

/** EC2's answers as the shell would give them: the template sets p3.2xlarge. */
const EC2_KNOWS: NamedTypes = {
  ofTemplate: (ref) => (ref.id === 'lt-0a1b2c3d4e5f6a7b8' && ref.version === '3' ? { type: 'p3.2xlarge' } : { unknown: 'EC2 did not say (InvalidLaunchTemplateId.NotFound)' }),
  ofInstance: (id) => (id === 'i-0stopped' ? { type: 'g5.48xlarge' } : { unknown: 'EC2 did not say (InvalidInstanceID.NotFound)' }),
};

function judged(value: unknown, named: NamedTypes): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, launchPolicy(), bundledSpec, NOW, named);
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

describe('launches that name only a launch template', () => {
  test.each(Object.entries(TEMPLATE_LAUNCHES))('%s: the template is read from the request', (_, record) => {
    const rec = readRecord(record);
    if (typeof rec === 'string') throw new Error(rec);
    expect(namesToLookUp(rec.eventName, describeLaunch(rec)).templates).toEqual([{ id: 'lt-0a1b2c3d4e5f6a7b8', version: '3', count: 8 }]);
  });

  test.each(Object.entries(TEMPLATE_LAUNCHES))('%s: judged by the type the template sets', (_, record) => {
    const { request, verdict } = judged(record, EC2_KNOWS);
    expect(request.instanceTypes).toEqual([{ type: 'p3.2xlarge', count: 8 }]);
    expect(verdict).toMatchObject({ flagged: true, vcpus: 64, gpus: 8, usdPerHour: 8 * 3.06 });
    expect(verdict.reasons).toContain('instance type p3.2xlarge is outside the allowed families');
  });

  test('a template EC2 cannot read leaves the type unknown, and the alert says which template and why', () => {
    const record = TEMPLATE_LAUNCHES['RunInstances refused for the vCPU limit'];
    const j = judged(record, { ...EC2_KNOWS, ofTemplate: () => ({ unknown: 'EC2 did not say (UnauthorizedOperation: not authorized)' }) });
    expect(j.request.instanceTypes).toEqual([]);
    expect(j.verdict.usdPerHour).toBeUndefined();
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.what).toContain('Not counted, unknown: instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 3): EC2 did not say (UnauthorizedOperation');
    // The refusal is flagged whatever was asked.
    expect(j.verdict.flagged).toBe(true);
  });

  test('offline (replay), the template is named as not looked up rather than silently ignored', () => {
    const j = judged(TEMPLATE_LAUNCHES.CreateAutoScalingGroup, OFFLINE_NAMED_TYPES);
    expect(j.request.unknowns).toEqual(['instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 3): not looked up without an AWS call']);
  });

  test('a call that states its types is not looked up, even when it also names a template', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
      autoScalingGroupName: 'workers',
      minSize: 0,
      maxSize: 8,
      mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateName: 'web' }, overrides: [{ instanceType: 'm5.large' }] } },
    });
    expect(judged(record, EC2_KNOWS).request).toMatchObject({ instanceTypes: [{ type: 'm5.large', count: 8 }], launchTemplates: [], unknowns: [] });
  });

  test('a template named without a version is looked up at its default version', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'web', minSize: 2, maxSize: 6, launchTemplate: { launchTemplateName: 'web' } });
    const j = judged(record, OFFLINE_NAMED_TYPES);
    expect(j.request.launchTemplates).toEqual([{ name: 'web', count: 6 }]);
    expect(j.request.unknowns).toEqual(['instance type of launch template web (default version): not looked up without an AWS call']);
  });
});

describe('StartInstances', () => {
  const start = cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', { instancesSet: { items: [{ instanceId: 'i-0stopped' }, { instanceId: 'i-0gone' }] } });

  test('is judged by the types of the instances it starts', () => {
    const { request, verdict } = judged(start, EC2_KNOWS);
    expect(request.instanceTypes).toEqual([{ type: 'g5.48xlarge', count: 1 }]);
    expect(request.unknowns).toEqual(['instance type of i-0gone: EC2 did not say (InvalidInstanceID.NotFound)']);
    expect(verdict).toMatchObject({ flagged: true, gpus: 8, vcpus: 192 });
  });

  test('asks about each instance it starts', () => {
    const rec = readRecord(start);
    if (typeof rec === 'string') throw new Error(rec);
    expect(namesToLookUp('StartInstances', describeLaunch(rec)).instanceIds).toEqual(['i-0stopped', 'i-0gone']);
  });
});
