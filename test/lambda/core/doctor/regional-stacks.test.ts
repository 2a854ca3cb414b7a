import {
  guardedRegionsOf, inRegion, judgeStackInstances, regionalStacksOf, stackSetNamesOf, unnamedRegionalStacks,
} from '../../../../lambda/core/doctor/regional-stacks';
import { stackValuesOf } from '../../../../lambda/core/doctor/template-values';

const KNOWN = stackValuesOf('arn:aws:cloudformation:eu-west-1:111122223333:stack/Guard/0a1b');
const STACK = (region: string) => `arn:aws:cloudformation:${region}:111122223333:stack/StackSet-MiningGuard-regions-1a2b/3c4d`;

describe('judgeStackInstances', () => {
  test('CURRENT and SUCCEEDED passes; a failed, outdated or inoperable instance fails naming region, status, reason and fix', () => {
    // GIVEN instances as ListStackInstances returns them
    const checks = judgeStackInstances('MiningGuard-regions', [
      { Region: 'us-east-1', Account: '111122223333', StackId: STACK('us-east-1'), Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } },
      {
        Region: 'sa-east-1',
        Account: '111122223333',
        StackId: STACK('sa-east-1'),
        Status: 'OUTDATED',
        StatusReason: 'ResourceLogicalId:GuardDetector, ResourceType:AWS::GuardDuty::Detector, ResourceStatusReason:The request is rejected because a detector already exists for the current account.',
        StackInstanceStatus: { DetailedStatus: 'FAILED' },
      },
      { Region: 'ap-south-1', Account: '111122223333', Status: 'INOPERABLE', StackInstanceStatus: { DetailedStatus: 'INOPERABLE' } },
      { Region: 'eu-north-1', Account: '111122223333', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'RUNNING' } },
    ]);
    // THEN
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['us-east-1 StackSet instance', 'PASS'],
      ['sa-east-1 StackSet instance', 'FAIL'],
      ['ap-south-1 StackSet instance', 'FAIL'],
      ['eu-north-1 StackSet instance', 'FAIL'],
    ]);
    expect(checks[1].detail).toMatch(/^OUTDATED, last operation FAILED: .*a detector already exists/);
    expect(checks[1].fix).toContain('everyRegion.existingDetectorRegions');
    expect(checks[1].fix).toContain('describe-stack-events --region sa-east-1');
    expect(checks[2].fix).toContain('delete-stack-instances --stack-set-name MiningGuard-regions --accounts 111122223333 --regions ap-south-1');
    expect(checks[3].fix).toContain('run the doctor again');
  });

  test('a StackSet without an instance fails: no region beyond home is guarded', () => {
    expect(judgeStackInstances('s', [])).toEqual([expect.objectContaining({ name: 'StackSet s', status: 'FAIL' })]);
  });

  test('the regional stacks are the instances\' stacks, each in its region', () => {
    expect(regionalStacksOf([{ Region: 'us-east-1', StackId: STACK('us-east-1') }, { Region: 'ap-south-1' }, { StackId: 'x' }]))
      .toEqual([{ region: 'us-east-1', stack: STACK('us-east-1') }]);
  });
});

describe('the regions the home stack names', () => {
  const notifier = (context: unknown) => ({ Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { GUARD_CONTEXT: context } } } } });

  test('reads guardedRegions from the notifier\'s guard context, joined around references', () => {
    const context = { 'Fn::Join': ['', ['{"guardArns":["', { Ref: 'Topic' }, '"],"guardedRegions":["eu-west-1","sa-east-1"]}']] };
    expect(guardedRegionsOf(notifier(context), KNOWN)).toEqual(['eu-west-1', 'sa-east-1']);
    expect(guardedRegionsOf(notifier('{"guardArns":[]}'), KNOWN)).toBeUndefined();
    expect(guardedRegionsOf(notifier('not json'), KNOWN)).toBeUndefined();
    expect(guardedRegionsOf({}, KNOWN)).toBeUndefined();
  });

  test('names each StackSet of the template, by its name where the template gives it', () => {
    const names = stackSetNamesOf({
      EveryRegion: { Type: 'AWS::CloudFormation::StackSet', Properties: { StackSetName: { 'Fn::Join': ['-', ['MiningGuard', { Ref: 'AWS::Region' }]] } } },
      Other: { Type: 'AWS::CloudFormation::StackSet', Properties: { StackSetName: { 'Fn::GetAtt': ['X', 'Y'] } } },
      Topic: { Type: 'AWS::SNS::Topic' },
    }, KNOWN);
    expect([...names]).toEqual([['EveryRegion', 'MiningGuard-eu-west-1'], ['Other', undefined]]);
  });

  test('without a StackSet, each region beyond home is a SKIP naming the command that checks its RegionalGuard stack', () => {
    const checks = unnamedRegionalStacks(['eu-west-1', 'sa-east-1', 'us-east-1'], 'eu-west-1');
    expect(checks.map((c) => [c.name, c.status])).toEqual([['sa-east-1 regional part', 'SKIP'], ['us-east-1 regional part', 'SKIP']]);
    expect(checks[0].detail).toContain('mining-guard doctor --region sa-east-1 --stack');
    expect(unnamedRegionalStacks(['eu-west-1'], 'eu-west-1')).toEqual([expect.objectContaining({ status: 'PASS' })]);
    // A stack whose template says nothing of regions (a RegionalGuard's own, checked with --stack) has no regional parts.
    expect(unnamedRegionalStacks(undefined, 'eu-west-1')).toEqual([]);
  });

  test('a region\'s checks carry the region first in their names', () => {
    expect(inRegion('sa-east-1', [{ name: 'rule r', status: 'PASS', detail: 'd', fix: '' }])).toEqual([{ name: 'sa-east-1 rule r', status: 'PASS', detail: 'd', fix: '' }]);
  });
});
