import { App, CfnElement, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, LegacyStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
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
    expect(context).toContain(':iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1');
    expect(context).not.toContain('*');
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

/** The guard context the notifier is given, with the stack's tokens written as the names they stand for. */
function contextOf(stack: Stack): Record<string, unknown> {
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
  const context = fn!.Properties.Environment.Variables.GUARD_CONTEXT;
  if (typeof context === 'string') return JSON.parse(context);
  const named = (p: { 'Ref'?: string; 'Fn::GetAtt'?: string[] }) => `<${p.Ref ?? p['Fn::GetAtt']!.join('.')}>`;
  const text = (context['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : named(p as { Ref?: string }))).join('');
  return JSON.parse(text);
}
describe('TamperWatch deployPrincipals: the exact roles whose changes to the guard are not tampering', () => {
  const env = { account: '111122223333', region: 'eu-west-1' };

  test('by default, the CloudFormation execution role of the stack\'s synthesizer, in its partition, account and region', () => {
    const s = new Stack(new App(), 'Guard', { env });
    new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s) });
    expect(contextOf(s).deployPrincipals).toEqual(['arn:<AWS::Partition>:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1']);
  });

  test('a synthesizer\'s own qualifier or role is followed', () => {
    const qualified = new Stack(new App(), 'Qualified', { env, synthesizer: new DefaultStackSynthesizer({ qualifier: 'guard1' }) });
    new TamperWatch(qualified, 'TamperWatch', { alerts: testAlerts(qualified) });
    expect(contextOf(qualified).deployPrincipals).toEqual(['arn:<AWS::Partition>:iam::111122223333:role/cdk-guard1-cfn-exec-role-111122223333-eu-west-1']);
    const named = new Stack(new App(), 'Named', { env, synthesizer: new DefaultStackSynthesizer({ cloudFormationExecutionRole: 'arn:aws:iam::111122223333:role/platform/cfn-deployer' }) });
    new TamperWatch(named, 'TamperWatch', { alerts: testAlerts(named) });
    expect(contextOf(named).deployPrincipals).toEqual(['arn:aws:iam::111122223333:role/platform/cfn-deployer']);
  });

  test('in an environment-agnostic stack, the role\'s account and region are the deployment\'s', () => {
    const s = new Stack(new App(), 'Guard');
    new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s) });
    expect(contextOf(s).deployPrincipals).toEqual([
      'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-cfn-exec-role-<AWS::AccountId>-<AWS::Region>',
    ]);
  });

  test('the roles given replace it, exactly as written', () => {
    const s = new Stack(new App(), 'Guard', { env });
    new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s), deployPrincipals: ['arn:aws:iam::111122223333:role/pipeline/deployer'] });
    expect(contextOf(s).deployPrincipals).toEqual(['arn:aws:iam::111122223333:role/pipeline/deployer']);
  });

  test.each([
    ['a wildcard', 'arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role-*'],
    ['a wildcard account', 'arn:aws:iam::*:role/deployer'],
    ['a session ARN', 'arn:aws:sts::111122223333:assumed-role/deployer/AWSCloudFormation'],
    ['a role name alone', 'deployer'],
  ])('%s is refused, saying what to write', (_name, arn) => {
    const s = new Stack(new App(), 'Guard', { env });
    expect(() => new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s), deployPrincipals: [arn] })).toThrow(
      `TamperWatch: deployPrincipals: '${arn}' is not the exact ARN of an IAM role. Name each role that deploys the guard in full, without wildcards, `
      + 'e.g. \'arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1\' (a role\'s ARN, not its session\'s): '
      + 'a pattern would let any role named to match change the guard unseen.',
    );
  });

  test.each([
    ['CliCredentialsStackSynthesizer', () => new CliCredentialsStackSynthesizer()],
    ['LegacyStackSynthesizer', () => new LegacyStackSynthesizer()],
  ])('with %s, which names no execution role: no exemption, and a warning that says how to name the role', (_name, synthesizer) => {
    const s = new Stack(new App(), 'Guard', { env, synthesizer: synthesizer() });
    new TamperWatch(s, 'TamperWatch', { alerts: testAlerts(s) });
    expect(contextOf(s).deployPrincipals).toEqual([]);
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('names no CloudFormation execution role'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('deployPrincipals: [\'arn:aws:iam::111122223333:role/my-deploy-role\'] (MiningGuard: tamperWatch.deployPrincipals)');
  });

  test('MiningGuard passes tamperWatch.deployPrincipals on', () => {
    const s = new Stack(new App(), 'Guard', { env, synthesizer: new CliCredentialsStackSynthesizer() });
    new MiningGuard(s, 'MiningGuard', { tamperWatch: { deployPrincipals: ['arn:aws:iam::111122223333:role/deployer'] } });
    expect(contextOf(s).deployPrincipals).toEqual(['arn:aws:iam::111122223333:role/deployer']);
    expect(Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('names no CloudFormation execution role'))).toEqual([]);
  });
});

describe('TamperWatch guardArns: the alert topic, created or adopted, and the guard\'s keys', () => {
  const env = { account: '111122223333', region: 'eu-west-1' };

  test('a created topic is named by its reference', () => {
    const s = new Stack(new App(), 'Guard', { env });
    const guard = new MiningGuard(s, 'MiningGuard');
    const topicId = s.getLogicalId(guard.alertChannel.topic.node.defaultChild as CfnElement);
    expect(contextOf(s).guardArns).toEqual([`<${topicId}>`, expect.stringMatching(/^<MiningGuardAlertsKey\w+\.Arn>$/), expect.stringMatching(/^<MiningGuardAuditTrailKey\w+\.Arn>$/)]);
  });

  test('an adopted topic is named by its ARN', () => {
    const s = new Stack(new App(), 'Guard', { env });
    new MiningGuard(s, 'MiningGuard', { alertTopic: sns.Topic.fromTopicArn(s, 'Adopted', 'arn:aws:sns:eu-west-1:111122223333:secops-alerts') });
    expect(contextOf(s).guardArns).toContain('arn:aws:sns:eu-west-1:111122223333:secops-alerts');
  });
});
