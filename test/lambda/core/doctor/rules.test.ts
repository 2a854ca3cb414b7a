import { judgeRule } from '../../../../lambda/core/doctor/rules';

describe('judgeRule', () => {
  test('an enabled rule with a target passes', () => {
    expect(judgeRule('r', { State: 'ENABLED' }, [{ Arn: 'arn:aws:lambda:us-east-1:111122223333:function:n' }])).toMatchObject({ status: 'PASS', detail: 'ENABLED, 1 target' });
  });

  test('a disabled rule fails with the command that enables it', () => {
    expect(judgeRule('r', { State: 'DISABLED' }, [{ Arn: 'a' }])).toMatchObject({ status: 'FAIL', fix: expect.stringContaining('aws events enable-rule --name r') });
  });

  test('an enabled rule without a target fails', () => {
    expect(judgeRule('r', { State: 'ENABLED' }, [])).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('without a target') });
  });
});
