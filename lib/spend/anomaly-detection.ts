/** Cost Anomaly Detection: the account's SERVICE monitor (created or adopted) and an immediate subscription to it. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** What the anomaly subscription needs. */
export interface AnomalySubscriptionSettings {
  readonly topic: sns.ITopic;
  readonly existingMonitorArn?: string;
  readonly monitorName: string;
  readonly subscriptionName: string;
  readonly thresholdUsd?: number;
  readonly thresholdPercent?: number;
}

/**
 * The threshold an anomaly's total impact must reach to be sent: dollars, percent over expected, or either.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_Expression.html
 */
export function thresholdExpression(thresholdUsd?: number, thresholdPercent?: number): string {
  const dimension = (key: string, value: number) => ({
    Dimensions: { Key: key, MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(value)] },
  });
  const parts = [
    ...(thresholdUsd !== undefined ? [dimension('ANOMALY_TOTAL_IMPACT_ABSOLUTE', thresholdUsd)] : []),
    ...(thresholdPercent !== undefined ? [dimension('ANOMALY_TOTAL_IMPACT_PERCENTAGE', thresholdPercent)] : []),
  ];
  // Either one is enough: a guard would rather hear about a large percent of a small bill, and a large sum of a big one.
  return JSON.stringify(parts.length === 1 ? parts[0] : { Or: parts });
}

/** The monitor's ARN (created or adopted), the monitor when created here, and the subscription. */
export interface AnomalyDetectionParts {
  readonly monitorArn: string;
  readonly monitor?: ce.CfnAnomalyMonitor;
  readonly subscription: ce.CfnAnomalySubscription;
}

export function anomalyDetection(scope: Construct, settings: AnomalySubscriptionSettings): AnomalyDetectionParts {
  const monitor = settings.existingMonitorArn === undefined
    ? new ce.CfnAnomalyMonitor(scope, 'AnomalyMonitor', {
      monitorName: settings.monitorName,
      monitorType: 'DIMENSIONAL',
      monitorDimension: 'SERVICE',
    })
    : undefined;
  // The account's one SERVICE monitor and its history outlive the stack, like the other evidence; the next
  // deployment finds it and adopts it.
  monitor?.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const monitorArn = settings.existingMonitorArn ?? monitor!.attrMonitorArn;
  const subscription = new ce.CfnAnomalySubscription(scope, 'AnomalySubscription', {
    subscriptionName: settings.subscriptionName,
    // IMMEDIATE is the only frequency that publishes to SNS, and the only one fast enough to matter.
    frequency: 'IMMEDIATE',
    monitorArnList: [monitorArn],
    subscribers: [{ type: 'SNS', address: settings.topic.topicArn }],
    thresholdExpression: thresholdExpression(settings.thresholdUsd, settings.thresholdPercent),
  });
  // Cost Anomaly Detection checks that it may publish when the subscription is created: the topic's policy must exist first.
  subscription.node.addDependency(settings.topic);
  return { monitorArn, monitor, subscription };
}
