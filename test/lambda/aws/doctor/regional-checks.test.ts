import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackInstancesCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { doctorClients } from '../../../../lambda/aws/doctor/doctor-clients';
import { FoundGuard } from '../../../../lambda/aws/doctor/find-guard';
import { regionalChecks } from '../../../../lambda/aws/doctor/regional-checks';
import { guardResourcesOf } from '../../../../lambda/core/doctor/guard-resources';
import { stackValuesOf } from '../../../../lambda/core/doctor/template-values';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const cfn = mockClient(CloudFormationClient);
const eventBridge = mockClient(EventBridgeClient);
const guardDuty = mockClient(GuardDutyClient);
const cloudWatch = mockClient(CloudWatchClient);
const sqs = mockClient(SQSClient);

const ACCOUNT = '111122223333';
const HOME_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/Guard/0a1b`;
const STACK_SET_ID = 'MiningGuard-regions-Guard:6e1c8f3e-0a1b-4c2d-9e8f-0123456789ab';
const REGIONAL = (region: string) => `arn:aws:cloudformation:${region}:${ACCOUNT}:stack/StackSet-MiningGuard-regions-Guard-1a2b/3c4d`;
const QUEUE = `https://sqs.sa-east-1.amazonaws.com/${ACCOUNT}/StackSet-forwarding-dead-letters`;
const clientsFor = (region: string) => doctorClients(region);

beforeEach(() => [cfn, eventBridge, guardDuty, cloudWatch, sqs].forEach((m) => m.reset()));

/** The home guard as findGuard reads it: its template and resources, with a StackSet or without. */
type Summary = { LogicalResourceId: string; PhysicalResourceId: string; ResourceType: string };
function home(template: Record<string, unknown>, resources: Summary[] = []): FoundGuard {
  return {
    stackName: 'Guard',
    account: ACCOUNT,
    outputs: {},
    resources: guardResourcesOf(resources),
    template: template as FoundGuard['template'],
    values: stackValuesOf(HOME_ID),
  };
}

const WITH_STACK_SET = home(
  { EveryRegion: { Type: 'AWS::CloudFormation::StackSet', Properties: { StackSetName: 'MiningGuard-regions-Guard' } } },
  [{ LogicalResourceId: 'EveryRegion', PhysicalResourceId: STACK_SET_ID, ResourceType: 'AWS::CloudFormation::StackSet' }],
);

describe('regionalChecks', () => {
  test('judges each stack instance, then checks each instance\'s stack in its region, the region in every check\'s name', async () => {
    // GIVEN a StackSet with one instance deployed and one failed, answered as ListStackInstances does, across pages
    cfn.on(ListStackInstancesCommand, { StackSetName: STACK_SET_ID }).resolvesOnce({
      Summaries: [{ StackSetId: STACK_SET_ID, Region: 'sa-east-1', Account: ACCOUNT, StackId: REGIONAL('sa-east-1'), Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } }],
      NextToken: 'n',
    }).resolvesOnce({
      Summaries: [{
        StackSetId: STACK_SET_ID,
        Region: 'ap-south-1',
        Account: ACCOUNT,
        Status: 'OUTDATED',
        StatusReason: 'Account 111122223333 should have \'AWSCloudFormationStackSetExecutionRole\' role',
        StackInstanceStatus: { DetailedStatus: 'FAILED' },
      }],
    });
    // The sa-east-1 stack: a disabled forwarding rule, its detector, an alarm in ALARM, its dead letters.
    cfn.on(DescribeStacksCommand, { StackName: REGIONAL('sa-east-1') }).resolves({ Stacks: [{ StackName: 'StackSet-MiningGuard-regions-Guard-1a2b', StackId: REGIONAL('sa-east-1'), StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfn.on(ListStackResourcesCommand, { StackName: REGIONAL('sa-east-1') }).resolves({
      StackResourceSummaries: [
        { LogicalResourceId: 'GuardFindings', PhysicalResourceId: 'StackSet-Findings-1', ResourceType: 'AWS::Events::Rule', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
        { LogicalResourceId: 'GuardDetector', PhysicalResourceId: 'd1', ResourceType: 'AWS::GuardDuty::Detector', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
        { LogicalResourceId: 'GuardVcpu', PhysicalResourceId: 'Guard-vcpu-usage-surge-GOnDemand-above-baseline', ResourceType: 'AWS::CloudWatch::Alarm', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
        { LogicalResourceId: 'GuardForwardingDeadLetters', PhysicalResourceId: QUEUE, ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      ],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: { GuardDetector: { Type: 'AWS::GuardDuty::Detector', Properties: { FindingPublishingFrequency: 'FIFTEEN_MINUTES' } } } }) });
    eventBridge.on(DescribeRuleCommand).resolves({ Name: 'StackSet-Findings-1', State: 'DISABLED' });
    eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 't', Arn: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default` }] });
    guardDuty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES', ServiceRole: 'r', Features: [] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'Guard-vcpu-usage-surge-GOnDemand-above-baseline', StateValue: 'ALARM', StateReason: 'Threshold Crossed', ActionsEnabled: true }] });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    // WHEN
    const checks = await regionalChecks(doctorClients('eu-west-1'), clientsFor, WITH_STACK_SET);
    // THEN
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['sa-east-1 StackSet instance', 'PASS'],
      ['ap-south-1 StackSet instance', 'FAIL'],
      ['sa-east-1 rule StackSet-Findings-1', 'FAIL'],
      ['sa-east-1 GuardDuty detector d1', 'PASS'],
      ['sa-east-1 GuardDuty detector d1 publishing frequency', 'PASS'],
      ['sa-east-1 alarm Guard-vcpu-usage-surge-GOnDemand-above-baseline', 'FAIL'],
      [`sa-east-1 dead-letter queue ${QUEUE}`, 'PASS'],
    ]);
    expect(checks[1].detail).toContain('AWSCloudFormationStackSetExecutionRole');
    // Each regional call went to the instance's region.
    expect(await regionOf(eventBridge.commandCalls(DescribeRuleCommand)[0])).toBe('sa-east-1');
    expect(await regionOf(guardDuty.commandCalls(GetDetectorCommand)[0])).toBe('sa-east-1');
    expect(await regionOf(cfn.commandCalls(ListStackInstancesCommand)[0])).toBe('eu-west-1');
  });

  test('a StackSet the doctor may not list fails naming the permission; a regional stack it cannot read fails in its region', async () => {
    cfn.on(ListStackInstancesCommand).rejects(awsError('AccessDenied', 'not authorized to perform: cloudformation:ListStackInstances', 403));
    expect(await regionalChecks(doctorClients('eu-west-1'), clientsFor, WITH_STACK_SET)).toEqual([
      expect.objectContaining({ name: 'StackSet MiningGuard-regions-Guard', status: 'FAIL', detail: expect.stringContaining('cloudformation:ListStackInstances') }),
    ]);
    cfn.on(ListStackInstancesCommand).resolves({ Summaries: [{ Region: 'sa-east-1', StackId: REGIONAL('sa-east-1'), Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } }] });
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack does not exist'));
    const checks = await regionalChecks(doctorClients('eu-west-1'), clientsFor, WITH_STACK_SET);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['sa-east-1 StackSet instance', 'PASS'], ['sa-east-1 regional stack', 'FAIL']]);
  });

  test('without a StackSet, each region the notifier guards beyond home is a SKIP: the home stack does not name RegionalGuard stacks', async () => {
    const guard = home({
      Notifier: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { GUARD_CONTEXT: '{"guardedRegions":["eu-west-1","us-east-1"]}' } } } },
    });
    const checks = await regionalChecks(doctorClients('eu-west-1'), clientsFor, guard);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['us-east-1 regional part', 'SKIP']]);
    expect(cfn.calls()).toHaveLength(0);
  });
});
