import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackInstancesCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListSubscriptionsByTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { doctorClients } from '../../../../lambda/aws/doctor/doctor-clients';
import { doctor, DoctorIo } from '../../../../lambda/cli/doctor/doctor-command';
import { awsError } from '../../../harness/mocked-aws';

const cfn = mockClient(CloudFormationClient);
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

beforeEach(() => {
  cfn.reset();
  sns.reset();
  events.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [{
      StackName: 'Guard', StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Guard/1', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
    }],
  });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      { LogicalResourceId: 'T', PhysicalResourceId: TOPIC, ResourceType: 'AWS::SNS::Topic', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'R', PhysicalResourceId: 'rule', ResourceType: 'AWS::Events::Rule', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
    ],
  });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{}' });
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
  events.on(DescribeRuleCommand).resolves({ State: 'ENABLED' });
  events.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: '1', Arn: 'arn:f' }] });
});

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: DoctorIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, clients: () => doctorClients('us-east-1') };
  const status = await doctor(args, io);
  return { status, out, err };
}

describe('mining-guard doctor', () => {
  test('prints a line per check and exits 0 when all pass', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: `${TOPIC}:1`, Protocol: 'email', Endpoint: 'a@example.com' }] });
    const { status, out } = await run(['--stack', 'Guard']);
    expect(status).toBe(0);
    expect(out.split('\n')).toEqual(expect.arrayContaining([
      'PASS subscription email a@example.com — confirmed', 'PASS rule rule — ENABLED, 1 target', '3 checks, 0 failed',
    ]));
  });

  test('--json prints one object with every check, and exits 1 when one failed', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'a@example.com' }] });
    const { status, out } = await run(['--stack', 'Guard', '--json']);
    expect(status).toBe(1);
    const report = JSON.parse(out) as { stack: string; checks: Array<{ name: string; status: string; fix: string }> };
    expect(report.stack).toBe('Guard');
    expect(report.checks.find((c) => c.name === 'subscription email a@example.com')).toMatchObject({ status: 'FAIL', fix: expect.stringContaining('a@example.com') });
    expect(report.checks.every((c) => Object.keys(c).sort().join() === 'detail,fix,name,status')).toBe(true);
  });

  test('exits 2 on wrong usage and 3 when the stack cannot be read', async () => {
    expect((await run(['--stack'])).status).toBe(2);
    expect((await run(['--bogus'])).status).toBe(2);
    expect((await run(['--help'])).status).toBe(0);
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id Guard does not exist'));
    const { status, err } = await run(['--stack', 'Guard']);
    expect(status).toBe(3);
    expect(err).toContain('does not exist');
  });

  test('reads the regional parts too: the StackSet\'s instances, and each instance\'s stack with clients of its region', async () => {
    // GIVEN a home stack whose StackSet has one instance, in sa-east-1
    const regional = 'arn:aws:cloudformation:sa-east-1:111122223333:stack/StackSet-regions-1/2';
    cfn.on(ListStackResourcesCommand, { StackName: 'Guard' }).resolves({
      StackResourceSummaries: [
        { LogicalResourceId: 'EveryRegion', PhysicalResourceId: 'regions:1', ResourceType: 'AWS::CloudFormation::StackSet', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      ],
    });
    cfn.on(GetTemplateCommand, { StackName: 'Guard' }).resolves({ TemplateBody: JSON.stringify({ Resources: { EveryRegion: { Type: 'AWS::CloudFormation::StackSet', Properties: { StackSetName: 'regions' } } } }) });
    cfn.on(ListStackInstancesCommand).resolves({ Summaries: [{ Region: 'sa-east-1', StackId: regional, Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } }] });
    cfn.on(ListStackResourcesCommand, { StackName: regional }).resolves({
      StackResourceSummaries: [{ LogicalResourceId: 'R', PhysicalResourceId: 'forward', ResourceType: 'AWS::Events::Rule', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }],
    });
    const regions: Array<string | undefined> = [];
    let out = '';
    // WHEN
    const status = await doctor(['--stack', 'Guard', '--region', 'eu-west-1'], {
      out: (t) => { out += t; }, err: () => undefined, clients: (region) => { regions.push(region); return doctorClients(region); },
    });
    // THEN
    expect(status).toBe(0);
    expect(regions).toEqual(['eu-west-1', 'sa-east-1']);
    expect(out.split('\n')).toEqual(expect.arrayContaining(['PASS sa-east-1 StackSet instance — CURRENT, SUCCEEDED', 'PASS sa-east-1 rule forward — ENABLED, 1 target']));
  });
});
