import type { Alert } from '../../../../lambda/core/alerts/alert';
import { principalName } from '../../../../lambda/core/events/cloudtrail-record';
import {
  containmentRoleArn, containmentSessionName, foreignAccount, onceKey, ownAccountOf, roleRefusedLine, windowAccount, windowPrincipal,
  withAccountNamed,
} from '../../../../lambda/core/launch/acting-account';

describe('the acting account', () => {
  test('the own account comes from the function\'s ARN, else from its role\'s', () => {
    expect(ownAccountOf(['arn:aws:lambda:eu-west-1:111122223333:function:f', 'arn:aws:iam::999999999999:role/r'])).toEqual({ partition: 'aws', account: '111122223333' });
    expect(ownAccountOf([undefined, 'arn:aws-us-gov:iam::111122223333:role/r'])).toEqual({ partition: 'aws-us-gov', account: '111122223333' });
    expect(ownAccountOf([undefined, 'not an arn'])).toBeUndefined();
  });

  test('an event is another account\'s only when it names a different account id', () => {
    expect(foreignAccount('222233334444', '222233334444', '111122223333')).toBe('222233334444');
    expect(foreignAccount('111122223333', undefined, '111122223333')).toBeUndefined();
    expect(foreignAccount('unknown account', '222233334444', '111122223333')).toBe('222233334444');
    expect(foreignAccount(undefined, undefined, '111122223333')).toBeUndefined();
  });

  test('the role ARN and a session name within STS\'s characters and length', () => {
    expect(containmentRoleArn({ partition: 'aws', account: '222233334444' }, 'mining-guard-containment')).toBe('arn:aws:iam::222233334444:role/mining-guard-containment');
    const name = containmentSessionName(`${'x/y z'.repeat(30)}`);
    expect(name).toMatch(/^mining-guard-[\w+=,.@-]+$/);
    expect(name.length).toBe(64);
  });

  test('two accounts\' identical principals (root, the same role name) get windows and once-only keys of their own', () => {
    const root = principalName('arn:aws:iam::222233334444:root');
    expect(principalName('arn:aws:iam::333344445555:root')).toBe(root);
    expect(windowPrincipal(root, '222233334444')).not.toBe(windowPrincipal(root, '333344445555'));
    const role = principalName('arn:aws:sts::222233334444:assumed-role/ci/s');
    expect(windowPrincipal(role, '222233334444')).toBe('role/ci in 222233334444');
    expect(windowAccount(windowPrincipal(role, '222233334444'))).toBe('222233334444');
    expect(windowPrincipal(role, undefined)).toBe('role/ci');
    expect(windowAccount('role/ci')).toBeUndefined();
    expect(onceKey('e-1', '222233334444')).not.toBe(onceKey('e-1', '333344445555'));
    expect(onceKey('e-1', undefined)).toBe('e-1');
  });

  test('a refused role says the account, the role, why and what to deploy', () => {
    expect(roleRefusedLine('222233334444', 'arn:aws:iam::222233334444:role/mining-guard-containment', 'AccessDenied: no.\nmore'))
      .toBe('not done in account 222233334444: the role arn:aws:iam::222233334444:role/mining-guard-containment could not be assumed (AccessDenied: no. ⏎ more); '
        + 'deploy MiningGuard\'s member part (the containment role that trusts this evaluator) in that account');
  });

  test('an alert names the account, and labels another account\'s console links with it', () => {
    const alert = { where: 'Account 222233334444, region sa-east-1', links: [{ label: 'Instance i-1', url: 'https://console' }] } as unknown as Alert;
    const named = withAccountNamed(alert, '222233334444', 'Prod\nwww.evil', true);
    expect(named.where).toBe('Account 222233334444 (Prod ⏎ www[.]evil), region sa-east-1');
    expect(named.links[0].label).toBe('Instance i-1 (in account 222233334444: sign in to it first)');
    expect(withAccountNamed(alert, '222233334444', undefined, false)).toEqual(alert);
  });
});
