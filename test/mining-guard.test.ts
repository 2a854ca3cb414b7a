import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MiningGuard, RecorderMode, VcpuUsageClass } from '../lib';
import { JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS } from '../lib/catalog';
import { cloudTrailPatterns } from '../lib/common/cloudtrail-rules';
import { findingEventPattern } from '../lib/threats/detector';

/**
 * The finding rule, the launch calls' rules, the tamper/credential calls' rules, the storm flush, the spend
 * evaluator's schedule and the notifier's rule for the guard's alarms.
 */
const RULES = 1 + cloudTrailPatterns(LAUNCH_DETECTIONS).length + cloudTrailPatterns(JUDGED_CALL_DETECTIONS).length + 3;

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

describe('MiningGuard', () => {
  test('one line deploys the topic and key, the trail, the detector, the notifier, LaunchWatch, TamperWatch and the cost signals', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] });
    // THEN
    const t = Template.fromStack(s);
    // The alert topic, and the topic Budgets and Cost Anomaly Detection publish to.
    t.resourceCountIs('AWS::SNS::Topic', 2);
    t.resourceCountIs('AWS::KMS::Key', 2);
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.resourceCountIs('AWS::GuardDuty::Detector', 1);
    t.resourceCountIs('AWS::Events::Rule', RULES);
    // The notifier, the launch evaluator and the spend evaluator.
    t.resourceCountIs('AWS::Lambda::Function', 3);
    t.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    t.resourceCountIs('AWS::Budgets::Budget', 1);
    t.resourceCountIs('AWS::CE::AnomalyMonitor', 1);
    t.resourceCountIs('AWS::CE::AnomalySubscription', 1);
    t.resourceCountIs('AWS::Budgets::BudgetsAction', 0);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
    expect(guard.threatDetection.findingRule).toBeDefined();
    expect(guard.auditTrail.logGroup).toBeDefined();
    expect(guard.spendGuard.vcpuAlarms).toBeDefined();
  });

  test('each part is configured through its own props', () => {
    const s = stack();
    new MiningGuard(s, 'MiningGuard', {
      alertWebhookUrls: ['https://hooks.example.com/x'],
      alertSlack: { workspaceId: 'T1', channelId: 'C1' },
      auditTrail: { trailName: 'guard' },
      threatDetection: { minimumSeverity: 7 },
      spendGuard: { monthlyLimitUsd: 300 },
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Budgets::Budget', { Budget: { BudgetLimit: { Amount: 300, Unit: 'USD' } } });
    t.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'guard' });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: findingEventPattern(7).detail } });
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
  });

  test('an existing topic, trail and detector are adopted, not created', () => {
    const s = stack();
    new MiningGuard(s, 'MiningGuard', {
      alertTopic: sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:eu-west-1:111122223333:security'),
      auditTrail: { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org' },
      threatDetection: { existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0' },
      spendGuard: { existingAnomalyMonitorArn: 'arn:aws:ce::111122223333:anomalymonitor/abcdefgh-1234-4ea0-84cc-918a97d736ef' },
    });
    const t = Template.fromStack(s);
    for (const type of ['AWS::CloudTrail::Trail', 'AWS::GuardDuty::Detector', 'AWS::S3::Bucket', 'AWS::CE::AnomalyMonitor']) {
      t.resourceCountIs(type, 0);
    }
    t.resourceCountIs('AWS::Events::Rule', RULES);
    // Without the adopted trail's log group, only this region's launches are judged.
    t.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    // Only the topic Budgets and Cost Anomaly Detection publish to, in front of the notifier.
    t.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('an adopted topic\'s key is granted to every function that publishes alerts, and to none that does not', () => {
    // GIVEN
    const s = stack();
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const topicArn = 'arn:aws:sns:eu-west-1:111122223333:security';
    // WHEN
    new MiningGuard(s, 'MiningGuard', { alertTopic: sns.Topic.fromTopicArn(s, 'T', topicArn), alertTopicKey: kms.Key.fromKeyArn(s, 'K', keyArn) });
    // THEN
    const policies = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument.Statement as any[]);
    const publishers = policies.filter((st) => st.some((x) => x.Action === 'sns:Publish' && x.Resource === topicArn));
    const keyUsers = policies.filter((st) => st.some((x) => x.Resource === keyArn));
    // The notifier, the launch evaluator and the spend evaluator at least.
    expect(publishers.length).toBeGreaterThanOrEqual(3);
    expect(keyUsers).toEqual(publishers);
    for (const st of publishers) expect(st).toContainEqual(expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: keyArn }));
  });

  test('every function reserves its concurrency, unless reserveConcurrency is false for an account with a low quota', () => {
    const reserved = (props: { reserveConcurrency?: boolean }) => {
      const s = stack();
      new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'], ...props });
      return Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'))
        .filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
        .map((f) => f.Properties.ReservedConcurrentExecutions);
    };
    const on = reserved({});
    expect(on.length).toBeGreaterThanOrEqual(3);
    expect(on.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(reserved({ reserveConcurrency: false }).every((n) => n === undefined)).toBe(true);
  });

  test('the one line of the design works: an id and props are optional', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const guard = new MiningGuard(s);
    // THEN
    expect(guard.node.id).toBe('MiningGuard');
    const t = Template.fromStack(s);
    t.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    t.resourceCountIs('AWS::Events::Rule', RULES);
  });

  test('without an alert destination it warns, naming the props to set, and outputs the topic to subscribe to', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const guard = new MiningGuard(s);
    // THEN
    Annotations.fromStack(s).hasWarning('/Test/MiningGuard/Alerts',
      Match.stringLikeRegexp('Alerts reach nobody yet\\. Set `alertEmails: \\[\'secops@example\\.com\'\\]`, `alertSlack` or `alertWebhookUrls` on MiningGuard'));
    const outputs = Template.fromStack(s).findOutputs('*');
    expect(Object.entries(outputs).filter(([id]) => !id.startsWith('MiningGuardDashboardUrl')).map(([, output]) => output)).toEqual([{
      Description: 'The MiningGuard alert topic: subscribe to it (email, HTTPS, AWS Chatbot) to receive the alerts',
      Value: { Ref: s.getLogicalId(guard.alertChannel.topic.node.defaultChild as never) },
    }]);
  });

  test('with a destination or an adopted topic there is no warning and no output but the dashboard\'s', () => {
    for (const props of [{ alertEmails: ['secops@example.com'] }, { alertTopic: sns.Topic.fromTopicArn(new Stack(), 'T', 'arn:aws:sns:eu-west-1:111122223333:security') }]) {
      const s = stack();
      new MiningGuard(s, 'MiningGuard', props.alertTopic ? { alertTopic: sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:eu-west-1:111122223333:security') } : props);
      Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('Alerts reach nobody'));
      expect(Object.keys(Template.fromStack(s).findOutputs('*')).filter((id) => !id.startsWith('MiningGuardDashboardUrl'))).toEqual([]);
    }
  });

  test('the compute policy reaches LaunchWatch and the Config rules alike', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new MiningGuard(s, 'MiningGuard', {
      computePolicy: { allowedInstanceFamilies: ['g5'], exemptPrincipals: ['arn:aws:iam::*:role/ci-*'] },
      compliance: { recorder: RecorderMode.ADOPT },
    });
    // THEN
    const t = Template.fromStack(s);
    const settings = Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables?.LAUNCH_SETTINGS).find(Boolean);
    expect(JSON.parse(settings).computePolicy).toEqual({ allowedInstanceFamilies: ['g5'], exemptPrincipals: ['arn:aws:iam::*:role/ci-*'] });
    t.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'MiningGuard-instance-family',
      InputParameters: { check: 'instance-family', computePolicy: '{"allowedInstanceFamilies":["g5"]}' },
    });
    t.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'MiningGuard-termination-protection',
      InputParameters: { check: 'termination-protection', computePolicy: '{"exemptPrincipals":["arn:aws:iam::*:role/ci-*"]}' },
    });
  });

  test('no CloudWatch alarm publishes to the topic: every alarm is named for the notifier\'s rule', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'], compliance: { recorder: RecorderMode.ADOPT, cisMetricFilters: true } });
    const alarms = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm'));
    // 22 vCPU alarms, 15 CIS alarms, two dead-letter alarms and the spend evaluator's failure alarm.
    expect(alarms).toHaveLength(40);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.OKActions).toBeUndefined();
      expect(alarm.Properties.AlarmName.startsWith(guard.alertChannel.notifier.alarmNamePrefix)).toBe(true);
    }
  });

  describe('every region', () => {
    function regionalTemplateOf(t: Template): { Resources: Record<string, { Type: string; Properties: Record<string, any> }> } {
      const [set] = Object.values(t.findResources('AWS::CloudFormation::StackSet'));
      return JSON.parse(set.Properties.TemplateBody);
    }

    test('by default the stack deploys the regional part into every other default region, and knows which regions it guards', () => {
      const s = stack();
      const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] });
      expect(guard.regionalStackSet).toBeDefined();
      expect(guard.guardedRegions).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1', 'sa-east-1', 'ap-southeast-1']));
      expect(guard.guardedRegions).toHaveLength(17);
      const regional = regionalTemplateOf(Template.fromStack(s));
      // The home alarms' prefix names the regional alarms, so the home notifier alerts on them.
      const alarms = Object.values(regional.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties.AlarmName as string);
      expect(alarms.every((n) => n.startsWith(guard.alertChannel.notifier.alarmNamePrefix))).toBe(true);
    });

    test('the home settings reach the regions: severity, detector plans, vCPU classes without bands; none with vCPU alarms off', () => {
      const s = stack();
      new MiningGuard(s, 'MiningGuard', {
        threatDetection: { minimumSeverity: 7, runtimeMonitoring: false },
        spendGuard: { vcpuAlarmOptions: { usageClasses: [VcpuUsageClass.G_ON_DEMAND], anomalyBandWidth: 2 } },
        everyRegion: { regions: ['sa-east-1'] },
      });
      const regional = regionalTemplateOf(Template.fromStack(s));
      const rules = Object.values(regional.Resources).filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.EventPattern);
      expect(rules).toContainEqual(expect.objectContaining({ detail: findingEventPattern(7).detail }));
      const detector = Object.values(regional.Resources).find((r) => r.Type === 'AWS::GuardDuty::Detector')!;
      expect(detector.Properties.Features[0]).toEqual(expect.objectContaining({ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }));
      expect(Object.values(regional.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties.AlarmName))
        .toEqual([expect.stringMatching(/-guard-dead-letters-forwarding$/), expect.stringMatching(/-vcpu-usage-surge-GOnDemand-above-baseline$/)]);

      const off = stack();
      new MiningGuard(off, 'MiningGuard', { spendGuard: { vcpuAlarms: false }, everyRegion: { regions: ['sa-east-1'] } });
      expect(Object.values(regionalTemplateOf(Template.fromStack(off)).Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')).toHaveLength(1);
    });

    test('the notifier knows the guarded regions, so an enabled region\'s alert says whether the guard runs there', () => {
      const s = stack();
      new MiningGuard(s, 'MiningGuard', { everyRegion: { regions: ['sa-east-1', 'ap-southeast-1'] } });
      const notifier = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'))
        .find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
      const context = notifier!.Properties.Environment.Variables.GUARD_CONTEXT;
      // JSON joined with the stack's name at deploy time: put the name in to read it here.
      const json = typeof context === 'string' ? context : (context['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'Test')).join('');
      expect(JSON.parse(json).guardedRegions).toEqual(['eu-west-1', 'sa-east-1', 'ap-southeast-1']);
    });

    test('an empty list keeps the guard in its home region alone', () => {
      const s = stack();
      const guard = new MiningGuard(s, 'MiningGuard', { everyRegion: { regions: [] } });
      expect(guard.regionalStackSet).toBeUndefined();
      expect(guard.guardedRegions).toEqual(['eu-west-1']);
      Template.fromStack(s).resourceCountIs('AWS::CloudFormation::StackSet', 0);
    });

    test('a home region without Budgets fails the synth, naming the types and a region to use instead', () => {
      const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-north-1' } });
      expect(() => new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] })).toThrow(
        /^MiningGuard's home part cannot deploy in eu-north-1: CloudFormation offers no AWS::Budgets::Budget there \(cfn-lint [\d.]+\)\. Deploy it in a region that offers them, e\.g\. eu-\w+-\d, and the regional part guards eu-north-1 from there when everyRegion\.regions lists it\.$/,
      );
    });

    test('account-wide names hold the stack\'s name and region: the same app in another region collides with nothing', () => {
      const names = (region: string) => {
        const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region } });
        new MiningGuard(s, 'MiningGuard', { alertSlack: { workspaceId: 'T0123456789', channelId: 'C0123456789' } });
        const t = Template.fromStack(s);
        return [
          ...Object.values(t.findResources('AWS::Budgets::Budget')).map((r) => r.Properties.Budget.BudgetName),
          ...Object.values(t.findResources('AWS::CE::AnomalyMonitor')).map((r) => r.Properties.MonitorName),
          ...Object.values(t.findResources('AWS::CE::AnomalySubscription')).map((r) => r.Properties.SubscriptionName),
          ...Object.values(t.findResources('AWS::Chatbot::SlackChannelConfiguration')).map((r) => r.Properties.ConfigurationName),
          ...Object.values(t.findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties.StackSetName),
        ];
      };
      const [west, east] = [names('eu-west-1'), names('us-east-1')];
      expect(west).toHaveLength(5);
      expect(west.every((n) => n.startsWith('Test-eu-west-1-'))).toBe(true);
      expect(west.filter((n) => east.includes(n))).toEqual([]);
    });
  });
});
