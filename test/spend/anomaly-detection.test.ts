import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { anomalyDetection, AnomalySubscriptionSettings, thresholdExpression } from '../../lib/spend/anomaly-detection';

const USD_100 = { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['100'] } };
const PERCENT_40 = { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_PERCENTAGE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['40'] } };

describe('thresholdExpression', () => {
  test('dollars alone, percent alone, or either of the two', () => {
    expect(JSON.parse(thresholdExpression(100))).toEqual(USD_100);
    expect(JSON.parse(thresholdExpression(undefined, 40))).toEqual(PERCENT_40);
    expect(JSON.parse(thresholdExpression(100, 40))).toEqual({ Or: [USD_100, PERCENT_40] });
  });

  test('keeps fractions as written', () => {
    expect(JSON.parse(thresholdExpression(12.5)).Dimensions.Values).toEqual(['12.5']);
  });
});

/** The template of a stack with a topic and the anomaly detection parts subscribed to it. */
function parts(settings: Partial<AnomalySubscriptionSettings> = {}) {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
  const topic = new sns.Topic(s, 'SpendTopic');
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('costalerts.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
  }));
  const built = anomalyDetection(s, { topic, monitorName: 'guard-services', subscriptionName: 'guard-immediate', thresholdUsd: 100, ...settings });
  return {
    template: Template.fromStack(s),
    built,
    topicId: s.getLogicalId(topic.node.defaultChild as sns.CfnTopic),
    topicPolicyId: s.getLogicalId(topic.node.findChild('Policy').node.defaultChild as sns.CfnTopicPolicy),
  };
}

describe('anomalyDetection', () => {
  test('creates a SERVICE monitor and subscribes to it immediately, through the topic', () => {
    // WHEN
    const { template, built, topicId } = parts();
    // THEN
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 1);
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', {
      MonitorName: 'guard-services',
      MonitorType: 'DIMENSIONAL',
      MonitorDimension: 'SERVICE',
    });
    template.hasResourceProperties('AWS::CE::AnomalySubscription', {
      SubscriptionName: 'guard-immediate',
      Frequency: 'IMMEDIATE',
      MonitorArnList: [{ 'Fn::GetAtt': ['AnomalyMonitor', 'MonitorArn'] }],
      Subscribers: [{ Type: 'SNS', Address: { Ref: topicId } }],
      ThresholdExpression: JSON.stringify(USD_100),
    });
    expect(built.monitor).toBeDefined();
  });

  test('adopts an existing monitor without creating one', () => {
    // GIVEN
    const arn = 'arn:aws:ce::111122223333:anomalymonitor/0b7e0b3c-6a8e-4b4e-9d8f-2b1f1d2c3e4f';
    // WHEN
    const { template, built } = parts({ existingMonitorArn: arn, thresholdUsd: undefined, thresholdPercent: 40 });
    // THEN
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    template.hasResourceProperties('AWS::CE::AnomalySubscription', { MonitorArnList: [arn], ThresholdExpression: JSON.stringify(PERCENT_40) });
    expect([built.monitorArn, built.monitor]).toEqual([arn, undefined]);
  });

  test('the subscription waits for the topic and its policy: Cost Anomaly Detection checks it may publish when subscribing', () => {
    const { template, topicId, topicPolicyId } = parts();
    const [subscription] = Object.values(template.findResources('AWS::CE::AnomalySubscription'));
    expect([...subscription.DependsOn].sort()).toEqual([topicId, topicPolicyId].sort());
  });
});
