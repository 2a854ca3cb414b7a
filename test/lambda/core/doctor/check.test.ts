import { callFailed, exitStatusOf, fail, formatCheck, pass, skip } from '../../../../lambda/core/doctor/check';

describe('doctor checks', () => {
  test('a passed check is one line; a failed one carries its fix on the next', () => {
    expect(formatCheck(pass('rule r', 'ENABLED, 1 target'))).toBe('PASS rule r — ENABLED, 1 target');
    expect(formatCheck(fail('rule r', 'state DISABLED', 'aws events enable-rule --name r'))).toBe('FAIL rule r — state DISABLED\n     fix: aws events enable-rule --name r');
    expect(formatCheck(skip('budgets', 'unknown account'))).toBe('SKIP budgets — unknown account');
  });

  test('the exit status is 1 when any check failed, 0 when all passed or were skipped', () => {
    expect(exitStatusOf([pass('a', 'x'), skip('b', 'y')])).toBe(0);
    expect(exitStatusOf([pass('a', 'x'), fail('b', 'y', 'z')])).toBe(1);
    expect(exitStatusOf([])).toBe(0);
  });

  test('an AWS call refused for access fails naming the permission to grant', () => {
    const error = Object.assign(new Error('User: arn:aws:iam::111122223333:user/ci is not authorized to perform: sns:ListSubscriptionsByTopic'), { name: 'AuthorizationError' });
    const check = callFailed('subscriptions of t', 'sns:ListSubscriptionsByTopic', error);
    expect(check).toMatchObject({ status: 'FAIL', name: 'subscriptions of t' });
    expect(check.detail).toContain('AuthorizationError');
    expect(check.fix).toContain('grant the doctor\'s credentials sns:ListSubscriptionsByTopic');
  });

  test('a throttled call fails asking to run again, and a thrown non-error is quoted', () => {
    const throttled = callFailed('rule r', 'events:DescribeRule', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(throttled.fix).toMatch(/run the doctor again/);
    expect(callFailed('x', 'p', 'boom').detail).toBe('p failed: boom');
  });
});
