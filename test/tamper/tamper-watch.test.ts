import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MiningGuard, TamperWatch, TamperWatchProps } from '../../lib';
import { cloudTrailSelections, eventBridgeDetailType, JUDGED_CALL_DETECTIONS } from '../../lib/catalog';
import { cloudTrailPatterns } from '../../lib/common/cloudtrail-rules';
import { testAlerts } from '../harness/alert-channel';
import { ruleBranches } from '../harness/rule-branches';

describe('TamperWatch', () => {
  const s = new Stack(new App(), 'Guard', { env: { account: '111122223333', region: 'us-east-1' } });
  new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] });
  const t = Template.fromStack(s);

  test('the tamper, credential and abuse calls, exactly, a branch per event source, and every root call, in rules to the notifier', () => {
    const toNotifier = ruleBranches(t).filter((b) => JSON.stringify(b.targetArn).includes('NotifierFunction'));
    const branches = toNotifier.filter((b) => b.eventSource !== undefined);
    expect(branches.map((b) => [b.eventSource[0], b.eventName])).toEqual([...cloudTrailSelections(JUDGED_CALL_DETECTIONS)]);
    expect(toNotifier.filter((b) => b.eventSource === undefined).map((b) => [b.source, b.detailType])).toEqual([
      [[{ prefix: 'aws.' }], ['AWS API Call via CloudTrail']],
    ]);
    for (const b of branches) {
      expect(b).toMatchObject({ source: [`aws.${b.eventSource[0].split('.')[0]}`], detailType: [eventBridgeDetailType(b.eventSource[0])] });
    }
    // Packed into few rules: an account has 300 rules per event bus, and the guard is a guest there.
    expect(new Set(toNotifier.map((b) => b.ruleId)).size).toBe(cloudTrailPatterns(JUDGED_CALL_DETECTIONS).length);
    expect(cloudTrailPatterns(JUDGED_CALL_DETECTIONS).length).toBeLessThanOrEqual(3);
  });

  test('sign-ins are matched by their own detail type', () => {
    expect(ruleBranches(t).find((b) => b.source[0] === 'aws.signin')?.detailType).toEqual(['AWS Console Sign In via CloudTrail']);
  });

  test('the notifier knows the guard\'s stack, keys, trail bucket and deploying role', () => {
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
    const context = JSON.stringify(fn?.Properties.Environment.Variables.GUARD_CONTEXT);
    expect(context).toContain('Guard-');
    expect(context).toContain('cdk-*-cfn-exec-role-*');
    expect(context).toMatch(/AuditTrailBucket/);
    expect(context).toMatch(/AlertsKey/);
  });
});

describe('TamperWatch guardedRegions', () => {
  function guardContextOf(props: Partial<TamperWatchProps>): Record<string, unknown> {
    const s = new Stack(new App(), 'Guard', { env: { account: '111122223333', region: 'us-east-1' } });
    new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s), ...props });
    const fn = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
    const context = fn!.Properties.Environment.Variables.GUARD_CONTEXT;
    // The context is JSON joined with the stack's name at deploy time: put a name in to read it here.
    return JSON.parse(typeof context === 'string' ? context : (context['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'Guard')).join(''));
  }

  test('tells the notifier the regions where the guard runs, home included', () => {
    expect(guardContextOf({ guardedRegions: ['us-east-1', 'sa-east-1'] }).guardedRegions).toEqual(['us-east-1', 'sa-east-1']);
  });

  test('left out, the notifier is told nothing, and says it cannot know', () => {
    expect(guardContextOf({})).not.toHaveProperty('guardedRegions');
  });

  test('tells the notifier whose SSM commands and sessions are expected; left out, none are', () => {
    expect(guardContextOf({ exemptPrincipals: ['arn:aws:iam::111122223333:role/patching'] }).exemptPrincipals).toEqual(['arn:aws:iam::111122223333:role/patching']);
    expect(guardContextOf({})).not.toHaveProperty('exemptPrincipals');
  });

  test('MiningGuard passes the compute policy\'s exempt principals on', () => {
    const s = new Stack(new App(), 'Guard', { env: { account: '111122223333', region: 'us-east-1' } });
    new MiningGuard(s, 'MiningGuard', { computePolicy: { exemptPrincipals: ['arn:aws:iam::111122223333:role/patching'] } });
    const fn = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
    expect(JSON.stringify(fn!.Properties.Environment.Variables.GUARD_CONTEXT)).toContain('exemptPrincipals\\\":[\\\"arn:aws:iam::111122223333:role/patching');
  });

  test.each([['eu-west'], ['EU-WEST-1'], ['eu-west-1 ']])('refuses %j, which is not a region name', (region) => {
    expect(() => guardContextOf({ guardedRegions: ['us-east-1', region] })).toThrow(
      `TamperWatch: guardedRegions: '${region}' is not a region name. Write e.g. ['eu-west-1', 'us-east-1'].`,
    );
  });
});
