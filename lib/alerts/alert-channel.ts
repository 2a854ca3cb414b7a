/** AlertChannel: the encrypted SNS topic every part alerts through, its subscribers, and the notifier in front of it. */
import { Annotations, ArnFormat, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { validateEmails, validateWebhookUrls } from './alert-destinations';
import { Notifier } from './notifier';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { accountUniqueName } from '../common/account-names';
import { GuardKey } from '../common/guard-key';
import { requireKeyStatement } from '../common/key-policy';

/**
 * An AWS Chatbot (Amazon Q Developer in chat applications) Slack channel that receives the alerts. Chatbot logs its
 * delivery errors to `/aws/chatbot/<configuration name>` in us-east-1, a log group it creates: set its retention there.
 */
export interface SlackChannelOptions {
  /** The Slack workspace id (team id), from the AWS Chatbot console after you authorise the workspace. */
  readonly workspaceId: string;
  /** The Slack channel id, e.g. `C0123456789` (Slack: channel details, bottom of the About tab). */
  readonly channelId: string;
  /**
   * The name of the Chatbot channel configuration. An account holds each name once, whatever the region.
   * @default - the stack's name and region, and `alerts`
   */
  readonly configurationName?: string;
}

/**
 * The naming that routes alarms through the guard's notifier: the state changes of an alarm so named, in any region
 * with the guard's regional part, become alerts.
 */
export interface IAlarmNaming {
  /** The name for one of the guard's alarms, e.g. `alarmName('cis-root-usage')`. */
  alarmName(suffix: string): string;
}

/**
 * Where the guard's parts send what people should hear: the alert topic, the key for what the parts store (logs,
 * tables, topics of their own), the notifier that renders every alert, and the naming that routes alarms through it.
 */
export interface IAlertChannel extends IAlarmNaming {
  /** The topic alerts are published to. */
  readonly topic: sns.ITopic;
  /**
   * The key the topic is encrypted with, when the topic does not carry it as its `masterKey`; the guard's functions
   * that publish alerts are granted its use.
   * @default - the topic's `masterKey`
   */
  readonly topicKey?: kms.IKey;
  /** The key of what the guard's parts store: their logs, tables and topics. Its policy lets CloudWatch Logs use it. */
  readonly key: kms.IKey;
  /** The function that turns events into alerts: route events to `notifier.ruleTarget()`. */
  readonly notifier: Notifier;
}

/** Properties of an `AlertChannel`. */
export interface AlertChannelProps {
  /**
   * Email addresses that receive every alert. Each address must confirm the subscription from the email AWS sends.
   * @default - no email subscriptions
   */
  readonly emails?: string[];

  /**
   * An AWS Chatbot Slack channel that receives every alert, rendered as a Chatbot custom notification.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannelOptions;

  /**
   * HTTPS endpoints that receive every alert as a JSON document (SNS HTTPS subscriptions; the endpoint must
   * confirm the subscription). SNS retries an alert an endpoint does not take for about 40 minutes, then puts it in a
   * dead-letter queue whose alarm alerts through the other subscribers.
   *
   * A URL must not carry a secret (`https://user:password@host`, `?token=`): it would be written into the template
   * in clear text. Keep such a URL in AWS Secrets Manager and pass
   * `SecretValue.secretsManager('mining-guard/webhook-url').unsafeUnwrap()`, which CloudFormation resolves at deploy,
   * or use a URL without a secret and have the endpoint verify the SNS message signature.
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
   * @default - no webhooks
   */
  readonly webhookUrls?: string[];

  /**
   * An existing topic to alert through instead of creating one. The guard's alarms, rules, budgets and anomaly
   * alerts reach it through the notifier, which is granted what it needs; the topic's policy and key policy are left
   * as they are: make sure they let EventBridge, Budgets, Cost Anomaly Detection and CloudWatch publish if you
   * route those of your own to it. The topic is never deleted with this stack.
   *
   * Give an encrypted topic's key with `topicKey` (or import the topic with it:
   * `sns.Topic.fromTopicAttributes(this, 'Alerts', { topicArn, keyArn })`): without it, the topic is taken to be
   * unencrypted and the synth warns, and a topic encrypted with a customer-managed key refuses every alert with KMS
   * AccessDenied.
   * @default - a new topic, encrypted with a new customer-managed key
   */
  readonly topic?: sns.ITopic;

  /**
   * The customer-managed key the existing `topic` is encrypted with. The notifier and every guard function that
   * publishes alerts are granted `kms:GenerateDataKey*` and `kms:Decrypt` on it through their roles, which the key's
   * policy must allow: the default key policy does, by letting this account's IAM policies grant its use. A key of
   * another account cannot be granted from here: the synth fails and prints the statement to add to its key policy.
   * Only with `topic`.
   * @default - the `masterKey` of `topic`, if it has one; otherwise the topic is taken to be unencrypted
   */
  readonly topicKey?: kms.IKey;

  /**
   * The name of the topic to create. Not with `topic`.
   * @default - a name CloudFormation generates
   */
  readonly topicName?: string;

  /**
   * How long the notifier's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The AWS services that may publish to the alert topic directly, each only on this account's behalf. The guard's own
 * alarms and rules go through the notifier; these are for rules and notifications of yours that target the topic.
 */
const SERVICE_PUBLISHERS = [
  'events.amazonaws.com',
  'budgets.amazonaws.com',
  'costalerts.amazonaws.com',
];

/**
 * Where alerts go: an SNS topic encrypted with a customer-managed KMS key (an AWS-managed key silently drops
 * EventBridge deliveries), a policy that refuses publishing without TLS and lets AWS services publish only for this
 * account, and the subscribers: email, Slack through AWS Chatbot, HTTPS webhooks.
 *
 * The `notifier` in front of the topic turns raw events into alerts; route events to `notifier.ruleTarget()`, and name
 * alarms with `alarmName()`. Without any subscriber, the synth warns and the stack outputs the topic's ARN
 * (`AlertTopicArn`) so people can subscribe later.
 */
export class AlertChannel extends Construct implements IAlertChannel {
  /** The topic alerts are published to. */
  public readonly topic: sns.ITopic;
  /** The key the topic is encrypted with, when this channel created it or was given the key of the topic it adopted. */
  public readonly topicKey?: kms.IKey;
  /** The key of what this channel stores: its topic, when created here, and the notifier's logs. */
  public readonly key: kms.IKey;
  /** The function that formats events into alerts. */
  public readonly notifier: Notifier;
  /** The Slack channel configuration, when `slack` is set. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  /** The queue that keeps the alerts no webhook took after every retry, when `webhookUrls` is set. */
  public readonly webhookDeadLetterQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: AlertChannelProps = {}) {
    super(scope, id);

    const emails = props.emails ?? [];
    const webhookUrls = props.webhookUrls ?? [];
    validateEmails('emails', emails);
    validateWebhookUrls('webhookUrls', webhookUrls);
    if (props.topic && props.topicName !== undefined) {
      throw new Error('AlertChannel: give either `topic` (use an existing topic) or `topicName` (name the topic to create), not both.');
    }
    if (!props.topic && props.topicKey) {
      throw new Error('AlertChannel: `topicKey` is the key of an existing `topic`; the topic created here is encrypted with a key of its own. Remove `topicKey`, or give the topic it encrypts as `topic`.');
    }

    // One key for what this channel stores: the topic's messages (when the topic is created here) and the notifier's logs.
    // Kept when the stack is deleted, like the logs it decrypts.
    const key = new GuardKey(this, 'Key', { description: 'MiningGuard alerts: topic and notifier logs' });
    key.allowLogs();
    this.key = key;

    if (props.topic) {
      this.topic = props.topic;
      this.topicKey = adoptedTopicKey(this, props.topic, props.topicKey);
    } else {
      key.allowServices('AllowAlertingServicesToEncrypt', SERVICE_PUBLISHERS);
      const topic = new sns.Topic(this, 'Topic', {
        topicName: props.topicName,
        displayName: 'MiningGuard alerts',
        masterKey: key,
        enforceSSL: true,
      });
      for (const service of SERVICE_PUBLISHERS) {
        topic.addToResourcePolicy(new iam.PolicyStatement({
          sid: `Allow${service.split('.')[0]}Publish`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }));
      }
      this.topic = topic;
      this.topicKey = key;
    }

    for (const email of emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    if (props.slack) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: props.slack.configurationName ?? accountUniqueName(this, 'alerts'),
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [this.topic],
        // Chatbot logs its delivery errors in us-east-1, to a log group it creates itself. Setting its retention from
        // here would take a Lambda-backed custom resource, the one asset-bearing resource of the alert channel.
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // The channel only receives alerts; nobody in it should act on the account through Chatbot.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll')],
      });
    }

    this.notifier = new Notifier(this, 'Notifier', {
      topic: this.topic,
      topicKey: this.topicKey,
      key: this.key,
      logRetention: props.logRetention,
    });

    // After the notifier: the webhooks' dead-letter alarm is named for it, so it alerts through the other subscribers.
    if (webhookUrls.length > 0) {
      const webhooks = new WebhookSubscriptions(this, 'Webhooks', {
        topic: this.topic,
        urls: webhookUrls,
        alarmName: this.notifier.alarmName('guard-dead-letters-webhooks'),
      });
      this.webhookDeadLetterQueue = webhooks.deadLetters.queue;
    }

    if (!props.topic && emails.length === 0 && webhookUrls.length === 0 && !props.slack) {
      Annotations.of(this).addWarningV2('mining-guard:no-alert-destination',
        'Alerts reach nobody yet. Set `alertEmails: [\'secops@example.com\']`, `alertSlack` or `alertWebhookUrls` on MiningGuard '
        + '(`emails`, `slack` or `webhookUrls` on an AlertChannel), or subscribe to the topic the stack outputs as AlertTopicArn.');
      new CfnOutput(this, 'AlertTopicArn', {
        description: 'The MiningGuard alert topic: subscribe to it (email, HTTPS, AWS Chatbot) to receive the alerts',
        value: this.topic.topicArn,
      });
    }
  }

  public alarmName(suffix: string): string {
    return this.notifier.alarmName(suffix);
  }
}

/**
 * The key of an adopted topic: given, or the topic's own. Without one the topic is taken to be unencrypted, and the
 * synth says so; a key of another account must name this account in its policy, which the synth asks for.
 */
function adoptedTopicKey(scope: Construct, topic: sns.ITopic, given: kms.IKey | undefined): kms.IKey | undefined {
  const key = given ?? topic.masterKey;
  if (given && topic.masterKey && given !== topic.masterKey
    && !Token.isUnresolved(given.keyArn) && !Token.isUnresolved(topic.masterKey.keyArn) && given.keyArn !== topic.masterKey.keyArn) {
    throw new Error(`AlertChannel: \`topicKey\` (${given.keyArn}) is not the key the topic was imported with (${topic.masterKey.keyArn}). Give the topic's key once: as \`topicKey\`, or as the topic's \`keyArn\`.`);
  }
  if (!key) {
    Annotations.of(scope).addWarningV2('mining-guard:alert-topic-unencrypted',
      'The adopted alert topic is taken to be unencrypted: no key was given for it. If it is encrypted with a customer-managed key, pass the key as '
      + '`alertTopicKey: kms.Key.fromKeyArn(this, \'AlertKey\', keyArn)` on MiningGuard (`topicKey` on an AlertChannel), or every alert fails '
      + 'with KMS AccessDenied. If it is unencrypted, SNS keeps the alerts unencrypted at rest: consider encrypting it with a customer-managed key.');
    return undefined;
  }
  const stack = Stack.of(scope);
  const keyAccount = Token.isUnresolved(key.keyArn) ? undefined : stack.splitArn(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).account;
  if (keyAccount !== undefined && !Token.isUnresolved(stack.account) && keyAccount !== stack.account) {
    // A role's own policy cannot grant the use of another account's key: that key's policy must name this account.
    const partition = stack.splitArn(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME).partition;
    requireKeyStatement(scope, key, new iam.PolicyStatement({
      sid: 'AllowMiningGuardToPublishAlerts',
      principals: [new iam.ArnPrincipal(`arn:${partition}:iam::${stack.account}:root`)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
    }), `AlertChannel: the alert topic's key belongs to account ${keyAccount}, and the guard's functions in ${stack.account} publish to the topic with it`);
  }
  return key;
}
