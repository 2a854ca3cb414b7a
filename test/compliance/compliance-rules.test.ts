import { Match, Template } from 'aws-cdk-lib/assertions';
import { ComplianceRule, MiningGuard, RecorderMode } from '../../lib';
import { rules, stack } from '../harness/compliance-rules';

describe('compliance changes to people', () => {
  test('one EventBridge rule sends NON_COMPLIANT results of these rules only to the notifier', () => {
    // WHEN
    const { template, rules: built } = rules({ recorder: RecorderMode.ADOPT, disabledRules: [ComplianceRule.CLOUDTRAIL_ENABLED] });
    // THEN
    const names = Object.keys(built.rules).map((r) => `MiningGuard-${r}`);
    expect(names).not.toContain('MiningGuard-cloudtrail-enabled');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        'detail': {
          messageType: ['ComplianceChangeNotification'],
          configRuleName: names,
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] } })],
    });
  });
});

describe('in MiningGuard', () => {
  test('no Config rule is deployed unless asked: only the user knows whether the region has a recorder', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'Guard', { alertEmails: ['secops@example.com'] });
    expect(guard.compliance).toBeUndefined();
    Template.fromStack(s).resourceCountIs('AWS::Config::ConfigRule', 0);
  });

  test('compliance routes to the guard\'s notifier, names its alarms for the notifier, and filters its trail\'s log group', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'Guard', {
      alertEmails: ['secops@example.com'],
      compliance: { recorder: RecorderMode.CREATE, cisMetricFilters: true },
    });
    expect(guard.compliance?.recorder).toBeDefined();
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: { Ref: Match.stringLikeRegexp('GuardAuditTrailLogs') } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RootUsage',
      AlarmName: `${guard.alertChannel.notifier.alarmNamePrefix}cis-root-usage`,
      AlarmActions: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('GuardAlertsKey'), 'Arn'] } });
  });
});
