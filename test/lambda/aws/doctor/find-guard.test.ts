import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { findGuard, GuardNotFound } from '../../../../lambda/aws/doctor/find-guard';
import { awsError } from '../../../harness/mocked-aws';

const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'us-east-1' });
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/MiningGuardBasic/0a1b';

beforeEach(() => cfn.reset());

function stack(StackName: string, Description?: string) {
  return { StackName, StackId: STACK_ID, Description, StackStatus: 'CREATE_COMPLETE' as const, CreationTime: new Date(), Outputs: [{ OutputKey: 'AlertTopicArn', OutputValue: 'arn:t' }] };
}

describe('findGuard', () => {
  test('reads the named stack\'s resources across pages, its outputs, its account and the detector its template deploys', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'MiningGuardBasic' }).resolves({ Stacks: [stack('MiningGuardBasic')] });
    cfn.on(ListStackResourcesCommand).resolvesOnce({
      StackResourceSummaries: [{ LogicalResourceId: 'T', PhysicalResourceId: 'arn:t', ResourceType: 'AWS::SNS::Topic', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }],
      NextToken: 'n',
    }).resolvesOnce({
      StackResourceSummaries: [{ LogicalResourceId: 'R', PhysicalResourceId: 'r', ResourceType: 'AWS::Events::Rule', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: { D: { Type: 'AWS::GuardDuty::Detector', Properties: { FindingPublishingFrequency: 'ONE_HOUR' } } } }) });
    const guard = await findGuard(client, 'MiningGuardBasic');
    expect(guard).toMatchObject({ stackName: 'MiningGuardBasic', account: '111122223333', outputs: { AlertTopicArn: 'arn:t' } });
    expect(guard.resources.topics).toEqual([{ logicalId: 'T', physicalId: 'arn:t' }]);
    expect(guard.resources.rules).toEqual([{ logicalId: 'R', physicalId: 'r' }]);
    expect(guard.resources.expectedDetector.findingPublishingFrequency).toBe('ONE_HOUR');
  });

  test('without a name, takes the one stack that says it holds a MiningGuard', async () => {
    cfn.on(DescribeStacksCommand, {}).resolves({ Stacks: [stack('Other', 'web app'), stack('Guard', 'MiningGuard with its defaults')] });
    cfn.on(DescribeStacksCommand, { StackName: 'Guard' }).resolves({ Stacks: [stack('Guard', 'MiningGuard')] });
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{}' });
    expect((await findGuard(client)).stackName).toBe('Guard');
  });

  test('no stack, several, or a stack that cannot be read is GuardNotFound, saying what to do', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(findGuard(client)).rejects.toThrow(/name it with --stack/);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('A', 'MiningGuard'), stack('B', 'MiningGuard')] });
    await expect(findGuard(client)).rejects.toThrow(/several stacks hold a MiningGuard \(A, B\)/);
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id Nope does not exist'));
    const error = await findGuard(client, 'Nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardNotFound);
    expect((error as Error).message).toContain('does not exist');
  });
});
