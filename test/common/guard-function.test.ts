import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlertChannel } from '../../lib';
import { GuardFunction, GuardFunctionProps, RESERVE_CONCURRENCY_CONTEXT, RESERVED_CONCURRENCY, reservesConcurrency } from '../../lib/common/guard-function';
import { testAlerts } from '../harness/alert-channel';

/** A stand-in for a bundled handler's generated construct: inline code instead of an asset. */
class TestHandlerFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: lambda.FunctionOptions) {
    super(scope, id, {
      ...props,
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
  }
}

const DESCRIPTION = 'MiningGuard test function: judges nothing';

/** A guard function next to its alert channel, routed from one rule, and the template of their stack. */
function guardFunction(props: Partial<GuardFunctionProps> = {}, target: { retryAttempts?: number; maxEventAge?: Duration } = {}) {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const alerts: AlertChannel = testAlerts(s);
  const built = new GuardFunction(s, 'Judge', {
    handler: TestHandlerFunction,
    name: 'spendEvaluator',
    description: DESCRIPTION,
    roleDescription: 'MiningGuard test function: reads nothing',
    memorySize: 512,
    timeout: Duration.seconds(45),
    environment: { ACCOUNT_ID: '111122223333' },
    alerts,
    outsideVpcReason: 'It calls only AWS APIs.',
    ...props,
  });
  new events.Rule(s, 'Rule', { eventPattern: { source: ['aws.ec2'] }, targets: [built.ruleTarget(target)] });
  return { template: Template.fromStack(s), built, alerts };
}

/** The guard function's own log group, not the notifier's. */
function logGroupOf(template: Template): any {
  const groups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('JudgeLogs'));
  expect(groups).toHaveLength(1);
  return groups[0][1];
}

/** The statements of the policies attached to the guard function's own role. */
function roleStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^JudgeRole') }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('GuardFunction', () => {
  describe('by default', () => {
    const { template, built, alerts } = guardFunction();

    test('an arm64 function with its settings, its environment, and the handler\'s Powertools service name', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: DESCRIPTION,
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 45,
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JudgeRole'), 'Arn'] },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^JudgeLogs') } },
        Environment: {
          Variables: { ACCOUNT_ID: '111122223333', POWERTOOLS_SERVICE_NAME: 'mining-guard-spend-evaluator', POWERTOOLS_LOG_LEVEL: 'INFO' },
        },
        DeadLetterConfig: Match.absent(),
      });
      expect(built.function.node.path).toBe('Test/Judge/Default');
    });

    test('a role of its own, for Lambda, described, with no managed policy', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
        Description: 'MiningGuard test function: reads nothing',
        ManagedPolicyArns: Match.absent(),
      });
    });

    test('logs kept a year, encrypted with the alert channel\'s key, outliving the stack, and writable by the role', () => {
      expect(logGroupOf(template)).toEqual({
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'] } },
      });
      expect(roleStatements(template)).toContainEqual({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^JudgeLogs/), 'Arn'] },
      });
    });

    test('may publish to the alert topic and use its key', () => {
      const statements = roleStatements(template);
      expect(statements).toContainEqual({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^AlertsTopic/) } });
      expect(statements).toContainEqual(expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'] },
      }));
      expect(alerts.topic.masterKey).toBeDefined();
    });

    test('no dead-letter queue', () => {
      expect(built.deadLetterQueue).toBeUndefined();
      expect(built.deadLetterAlarm).toBeUndefined();
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.ec2'] },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.absent() })],
      });
    });

    test('its rule target retries for six hours, eight times', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.ec2'] },
        Targets: [Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Judge'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        })],
      });
    });
  });

  describe('with a dead-letter alarm', () => {
    const { template, built, alerts } = guardFunction(
      { deadLetterAlarmDescription: 'The test function lost events.', logRetention: logs.RetentionDays.THREE_MONTHS },
      { retryAttempts: 2, maxEventAge: Duration.hours(1) },
    );
    const queueArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^JudgeDeadLettersQueue'), 'Arn'] };

    test('failed invocations and undeliverable events go to the queue', () => {
      expect(built.deadLetterQueue).toBeDefined();
      template.hasResourceProperties('AWS::Lambda::Function', { Description: DESCRIPTION, DeadLetterConfig: { TargetArn: queueArn } });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.ec2'] },
        Targets: [Match.objectLike({
          DeadLetterConfig: { Arn: queueArn },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        })],
      });
    });

    test('the queue\'s alarm is named for the notifier after the handler, and described as told', () => {
      expect(built.deadLetterAlarm).toBeDefined();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alerts.alarmName('guard-dead-letters-spendEvaluator'),
        AlarmDescription: 'The test function lost events.',
        MetricName: 'ApproximateNumberOfMessagesVisible',
      });
    });

    test('logs are kept as long as told', () => {
      expect(logGroupOf(template).Properties.RetentionInDays).toBe(90);
    });
  });

  test('a function that does not publish alerts may not publish', () => {
    const { template } = guardFunction({ publishesAlerts: false });
    const actions = roleStatements(template).flatMap((st) => [st.Action].flat());
    expect(actions).not.toContain('sns:Publish');
    expect(actions).not.toContain('kms:GenerateDataKey*');
  });
});

describe('reserved concurrency', () => {
  function functionIn(context: Record<string, unknown>): any {
    const s = new Stack(new App({ context }), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    new GuardFunction(s, 'Judge', {
      handler: TestHandlerFunction,
      name: 'notifier',
      description: DESCRIPTION,
      roleDescription: 'MiningGuard test function: reads nothing',
      memorySize: 512,
      timeout: Duration.seconds(45),
      environment: {},
      alerts: testAlerts(s),
      outsideVpcReason: 'It calls only AWS APIs.',
    });
    return Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function', { Properties: { Description: DESCRIPTION } }))[0].Properties;
  }

  test('each function reserves the concurrency of its handler, so no one can throttle the guard into silence', () => {
    expect(RESERVED_CONCURRENCY).toEqual({ notifier: 10, launchEvaluator: 10, configEvaluator: 5, spendEvaluator: 2 });
    expect(functionIn({}).ReservedConcurrentExecutions).toBe(10);
    // Lambda keeps 100 unreserved: together they fit any account whose quota is above 127.
    expect(Object.values(RESERVED_CONCURRENCY).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(27);
  });

  test.each([false, 'false'])('the context value %p turns it off, for an account whose concurrency quota is too low', (value) => {
    expect(functionIn({ [RESERVE_CONCURRENCY_CONTEXT]: value }).ReservedConcurrentExecutions).toBeUndefined();
  });

  test('true leaves it on; any other value is refused, saying what to write', () => {
    for (const on of [true, 'true']) expect(reservesConcurrency(new Stack(new App({ context: { [RESERVE_CONCURRENCY_CONTEXT]: on } }), 'On'))).toBe(true);
    expect(() => reservesConcurrency(new Stack(new App({ context: { [RESERVE_CONCURRENCY_CONTEXT]: 'no' } }), 'Odd'))).toThrow(
      'MiningGuard: the context value mining-guard:reserveConcurrency must be true or false, got "no". '
      + 'Write -c mining-guard:reserveConcurrency=false to deploy without reserved concurrency, or leave it out.',
    );
  });
});
