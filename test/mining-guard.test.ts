import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MiningGuard } from '../lib';
import { CREDENTIAL_DETECTIONS, LAUNCH_DETECTIONS, TAMPER_DETECTIONS } from '../lib/catalog';
import { cloudTrailPatterns } from '../lib/common/cloudtrail-rules';

/**
 * The finding rule, the launch calls' rules, the tamper/credential calls' rules, the storm flush and the spend
 * evaluator's schedule.
 */
const RULES = 1 + cloudTrailPatterns(LAUNCH_DETECTIONS).length + cloudTrailPatterns([...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS]).length + 1 + 1;

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
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { severity: [{ numeric: ['>=', 7] }] } } });
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

  test('refuses to deploy alerts that reach nobody', () => {
    expect(() => new MiningGuard(stack(), 'MiningGuard', {})).toThrow(/alerts would reach nobody/);
  });
});
