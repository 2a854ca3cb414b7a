/**
 * The SDK clients the doctor uses, for one region, with credentials from the SDK's default chain (and the endpoint
 * from `AWS_ENDPOINT_URL` when set). Tests hand in their own.
 */
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** The doctor's clients. */
export interface DoctorClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sns: SNSClient;
  readonly cloudTrail: CloudTrailClient;
  readonly guardDuty: GuardDutyClient;
  readonly eventBridge: EventBridgeClient;
  readonly cloudWatch: CloudWatchClient;
  readonly sqs: SQSClient;
  readonly budgets: BudgetsClient;
  readonly costExplorer: CostExplorerClient;
  readonly configService: ConfigServiceClient;
  readonly kms: KMSClient;
  readonly lambda: LambdaClient;
}

/**
 * Clients for the region (the SDK's default region when not given), retrying throttled calls adaptively; `settings`
 * (an endpoint, credentials) apply to every client.
 */
export function doctorClients(region?: string, settings: Readonly<Record<string, unknown>> = {}): DoctorClients {
  const config = { ...settings, ...(region ? { region } : {}), retryMode: 'adaptive', maxAttempts: 6 };
  return {
    cloudFormation: new CloudFormationClient(config),
    sns: new SNSClient(config),
    cloudTrail: new CloudTrailClient(config),
    guardDuty: new GuardDutyClient(config),
    eventBridge: new EventBridgeClient(config),
    cloudWatch: new CloudWatchClient(config),
    sqs: new SQSClient(config),
    // Budgets and Cost Explorer answer in us-east-1 only.
    budgets: new BudgetsClient({ ...config, region: 'us-east-1' }),
    costExplorer: new CostExplorerClient({ ...config, region: 'us-east-1' }),
    configService: new ConfigServiceClient(config),
    kms: new KMSClient(config),
    lambda: new LambdaClient(config),
  };
}
