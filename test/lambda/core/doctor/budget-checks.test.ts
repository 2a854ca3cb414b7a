import { judgeBudget } from '../../../../lambda/core/doctor/budget-checks';

describe('judgeBudget', () => {
  test('a budget whose notifications have subscribers passes each', () => {
    const checks = judgeBudget('MiningGuard-monthly', [
      { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE', Subscribers: [{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:1:t' }] },
    ]);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['budget MiningGuard-monthly', 'PASS'], ['budget MiningGuard-monthly notification ACTUAL GREATER_THAN 80%', 'PASS'],
    ]);
  });

  test('a budget without notification, and a notification without subscriber, fail', () => {
    expect(judgeBudget('b', [])[0].status).toBe('FAIL');
    const checks = judgeBudget('b', [{ NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100, Subscribers: [] }]);
    expect(checks[1]).toMatchObject({ status: 'FAIL', detail: 'no subscriber: nobody is told' });
  });
});
