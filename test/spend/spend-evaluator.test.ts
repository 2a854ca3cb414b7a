import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SpendEvaluator, SpendEvaluatorOptions } from '../../lib';
import { testAlerts } from '../harness/alert-channel';

function evaluator(options: SpendEvaluatorOptions & { budgetNames?: string[] } = {}): Template {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  new SpendEvaluator(s, 'Evaluator', { budgetNames: ['monthly-cost'], ...options, alerts: testAlerts(s) });
  return Template.fromStack(s);
}

describe('SpendEvaluator', () => {
  test('by default: hourly, factor 3, $5 minimum, its state in an SSM parameter, its failures alarmed', () => {
    const t = evaluator();
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)', Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 } })] });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          ACCOUNT_ID: '111122223333',
          BUDGET_NAMES: 'monthly-cost',
          ACCELERATION_FACTOR: '3',
          MINIMUM_INCREASE_USD: '5',
          STATE_PARAMETER_NAME: { Ref: Match.stringLikeRegexp('EvaluatorState') },
        }),
      },
    });
    t.hasResourceProperties('AWS::SSM::Parameter', { Type: 'String', Value: '{}', Name: Match.stringLikeRegexp('^/mining-guard/Test-Evaluator-[0-9A-F]+/spend-state$') });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Period: 3600, EvaluationPeriods: 3, Threshold: 1 });
  });

  test('may read only its budgets, and write only its own parameter', () => {
    const t = evaluator({ budgetNames: ['a', 'b'] });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'budgets:ViewBudget',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::111122223333:budget/a']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::111122223333:budget/b']] },
            ],
          }),
          Match.objectLike({ Action: 'ssm:PutParameter' }),
        ]),
      },
    });
  });

  test('interval, accelerationFactor and minimumIncreaseUsd reach the schedule and the function', () => {
    const t = evaluator({ interval: Duration.minutes(30), accelerationFactor: 5, minimumIncreaseUsd: 50 });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ACCELERATION_FACTOR: '5', MINIMUM_INCREASE_USD: '50' }) } });
  });

  describe('refuses', () => {
    test.each([
      ['no budgets', { budgetNames: [] }, /budgetNames is empty/],
      ['a factor that is no acceleration', { accelerationFactor: 1 }, /accelerationFactor must be more than 1.*Write e.g. 3/],
      ['a negative minimum', { minimumIncreaseUsd: -1 }, /minimumIncreaseUsd must be 0 or more/],
      ['a schedule faster than the data', { interval: Duration.minutes(1) }, /interval must be at least 5 minutes/],
    ])('%s', (_name, options, message) => {
      expect(() => evaluator(options)).toThrow(message);
    });
  });
});
