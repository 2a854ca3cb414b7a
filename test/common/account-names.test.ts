import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accountUniqueName } from '../../lib/common/account-names';

function nameIn(stackName: string, env: { region?: string } = { region: 'eu-west-1' }, path = 'Guard'): string {
  const stack = new Stack(new App(), 'Id', { stackName, env });
  const scope = new Construct(stack, path);
  return stack.resolve(accountUniqueName(scope, 'monthly-cost'));
}

describe('accountUniqueName', () => {
  test('names the stack, its region, the construct and the resource', () => {
    expect(nameIn('Guard')).toMatch(/^Guard-eu-west-1-[0-9a-f]{6}-monthly-cost$/);
  });

  test('the same app in two regions, and two stacks in one region, give different names', () => {
    const names = [nameIn('Guard', { region: 'eu-west-1' }), nameIn('Guard', { region: 'us-east-1' }), nameIn('Guard2', { region: 'eu-west-1' })];
    expect(new Set(names).size).toBe(3);
  });

  test('two constructs in one stack give different names; one construct always the same', () => {
    expect(nameIn('Guard', undefined, 'A')).not.toBe(nameIn('Guard', undefined, 'B'));
    expect(nameIn('Guard', undefined, 'A')).toBe(nameIn('Guard', undefined, 'A'));
  });

  test('an environment-agnostic stack takes its region at deployment', () => {
    expect(nameIn('Guard', {})).toEqual({ 'Fn::Join': ['-', ['Guard', { Ref: 'AWS::Region' }, expect.stringMatching(/^[0-9a-f]{6}-monthly-cost$/)]] });
  });

  test('a long stack name is cut, keeping a hash of the whole so two long names stay apart', () => {
    const long = `${'A'.repeat(100)}-one`;
    const a = nameIn(long);
    const b = nameIn(`${'A'.repeat(100)}-two`);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(40 + '-eu-west-1-'.length + 6 + '-monthly-cost'.length);
    // Every service that takes these names accepts letters, digits and hyphens.
    expect(a).toMatch(/^[A-Za-z0-9-]+$/);
  });
});
