/** The topic AWS Budgets and Cost Anomaly Detection publish to, which hands every message to the notifier. */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { Notifier } from '../alerts/notifier';
import { requireKeyStatement } from '../common/key-policy';

/** The services that publish spend notifications, each only on this account's behalf. */
export const SPEND_PUBLISHERS = ['budgets.amazonaws.com', 'costalerts.amazonaws.com'];

/**
 * A topic of its own, not the alert topic: Cost Anomaly Detection sends JSON and Budgets sends prose without the
 * `severity` and `detection` attributes subscribers filter on, so both go through the notifier, which publishes a
 * readable alert. Messages it fails on land in the notifier's dead-letter queue, whose alarm tells a person.
 */
export function createSpendTopic(scope: Construct, id: string, key: kms.IKey, notifier: Notifier): sns.Topic {
  const account = Stack.of(scope).account;
  // The alert channel's key lets these services in only when it created the alert topic itself; this topic needs them
  // whatever the alert topic is. Without the statement, every budget and anomaly notification is dropped unseen.
  requireKeyStatement(scope, key, new iam.PolicyStatement({
    sid: 'AllowCostServicesToEncryptSpendNotifications',
    principals: SPEND_PUBLISHERS.map((s) => new iam.ServicePrincipal(s)),
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': account } },
  }), 'SpendGuard: AWS Budgets and Cost Anomaly Detection publish to the spend topic, encrypted with `alerts.key`, and need its key policy to let them use it');
  const topic = new sns.Topic(scope, id, {
    displayName: 'MiningGuard spend notifications (to the notifier)',
    masterKey: key,
    enforceSSL: true,
  });
  allowSpendPublishers(topic, account);
  topic.addSubscription(new subscriptions.LambdaSubscription(notifier.function));
  return topic;
}

/** Lets AWS Budgets and Cost Anomaly Detection publish to `topic`, each only on `account`'s behalf. */
export function allowSpendPublishers(topic: sns.Topic, account: string): void {
  for (const service of SPEND_PUBLISHERS) {
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Allow${service.split('.')[0]}Publish`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
  }
}
