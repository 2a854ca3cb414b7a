import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ConfigEvaluator } from '../../lib';
import { testAlerts } from '../harness/alert-channel';

const DESCRIPTION = 'MiningGuard config evaluator: judges instances and running compute for AWS Config';

/** A ConfigEvaluator next to its alert channel, and the template of their stack. */
function evaluator(logRetention?: logs.RetentionDays): { template: Template; built: ConfigEvaluator } {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const built = new ConfigEvaluator(s, 'Evaluator', { alerts: testAlerts(s), logRetention });
  return { template: Template.fromStack(s), built };
}

describe('ConfigEvaluator', () => {
  describe('by default', () => {
    const { template, built } = evaluator();
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: DESCRIPTION } }));

    test('an arm64 function of five minutes and 256 MB, logging as the config evaluator', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: DESCRIPTION,
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        MemorySize: 256,
        Timeout: 300,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'mining-guard-config-evaluator', POWERTOOLS_LOG_LEVEL: 'INFO' } },
        DeadLetterConfig: Match.absent(),
      });
      expect(functionId).toBeDefined();
      expect(built.function.node.path).toBe('Test/Evaluator/Function/Default');
    });

    test('its role may judge and report, and never publish alerts itself', () => {
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^EvaluatorFunctionRole') }] },
      });
      const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual({
        Sid: 'JudgeAndReport',
        Effect: 'Allow',
        Action: [
          'config:PutEvaluations',
          'config:GetResourceConfigHistory',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeInstanceAttribute',
          'cloudtrail:LookupEvents',
        ],
        Resource: '*',
      });
      expect(statements.flatMap((st) => [st.Action].flat())).not.toContain('sns:Publish');
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
        Description: 'MiningGuard config evaluator: reads EC2, Config and CloudTrail, reports evaluations',
      });
    });

    test('its logs are kept a year, encrypted with the alert channel\'s key, and outlive the stack', () => {
      const functionProps = template.findResources('AWS::Lambda::Function')[functionId].Properties;
      const logGroupId: string = functionProps.LoggingConfig.LogGroup.Ref;
      expect(logGroupId).toMatch(/^EvaluatorFunctionLogs/);
      expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]).toEqual({
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'] } },
      });
    });
  });

  test('keeps its logs as long as it is told', () => {
    const { template } = evaluator(logs.RetentionDays.ONE_MONTH);
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
    expect(Object.keys(groups)).toEqual([expect.stringMatching(/^EvaluatorFunctionLogs/)]);
  });
});
